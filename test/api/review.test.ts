import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyForReportId, reportIdFor, uploadIdFor } from '../../functions/api/upload-keys.ts';
import { fixturePath } from '../support/fixtures.ts';
import { startServed } from '../support/served.ts';

/**
 * Reviewing findings through `local --serve` (the API Lambda's own handler on dynalite): only a supervisor
 * of the report's agency decides, decisions are kept per agency-year and fingerprint across re-uploads,
 * and a confirmed finding that disappeared is shown as fixed.
 */
let served: Awaited<ReturnType<typeof startServed>>;
beforeAll(async () => {
  served = await startServed();
}, 60_000);
afterAll(() => served?.stop());

const AGENCY = 'hongze-edu'; // supervised by hongze-office, which huaian-office supervises
const fixture = (name: string) => readFileSync(fixturePath('synthetic', name));

async function upload(file: string, year: number): Promise<string> {
  return served.pipeline.upload(AGENCY, `${year}/${randomUUID()}-${file}`, fixture(file));
}

interface Reviewed {
  fingerprint: string;
  code: string;
  severity: string;
  review: { decision: string; office: string } | null;
  history: { decision: string }[];
}
/** The parts of the answers these tests read. */
interface Answer {
  message: string;
  decision: Record<string, unknown>;
  reportId: string;
  status: string;
  reviewStatus: string | null;
  issues: Reviewed[];
  fixed: unknown[];
  record: { issues: unknown[] };
  submission: { objectKey: string };
}

/** A request as the account (a registry id), with its token from the local provider. */
async function call(method: string, route: string, account: string, body?: unknown) {
  const token = await served.token(account);
  const res = await fetch(`${served.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

const review = (key: string, fingerprint: string, account: string, body: unknown) =>
  call('POST', `/reports/${reportIdFor(key)}/findings/${fingerprint}/review`, account, body);

describe('report ids', () => {
  it('round-trip upload keys and refuse anything else', () => {
    const key = 'incoming/hongze-edu/2022/0d8b3c52-0d4c-4a55-9a39-8c9b0a0e4b1f-年报.pdf';
    expect(keyForReportId(reportIdFor(key))).toBe(key);
    const enc = (s: string) => Buffer.from(s).toString('base64url');
    for (const bad of [
      enc('../x/2022/a.pdf'),
      enc('hongze-edu/../huaian-gov/a.pdf'),
      enc('hongze-edu//a.pdf'),
      enc('Bad_Agency/a.pdf'),
      enc('hongze-edu'),
      enc('hongze-edu/a\u0000.pdf'),
      `${enc('hongze-edu/a.pdf')}=`,
      '',
      'a'.repeat(1401),
      Buffer.from([0x68, 0x2f, 0xff]).toString('base64url'),
    ]) {
      expect(keyForReportId(bad), bad).toBeNull();
    }
  });
});

describe('POST /reports/{reportId}/findings/{fingerprint}/review', () => {
  let key: string;
  let fingerprints: string[];
  let error: string;
  let errorCode: string;

  beforeAll(async () => {
    key = await upload('requests-result-total-broken-social-welfare.pdf', 2022);
    const record = await served.pipeline.record(key);
    expect(record?.status).toBe('INVALID');
    fingerprints = record?.issues.map((i) => i.fingerprint as string) ?? [];
    const first = record?.issues.find((i) => i.severity === 'error');
    error = first?.fingerprint as string;
    errorCode = first?.code as string;
    expect(error).toMatch(/^[0-9a-f]{16}$/);
  }, 60_000);

  it('refuses agencies (its own included) and offices outside the agency’s subtree', async () => {
    const body = { decision: 'DISMISSED', reason: '口径不同' };
    expect((await review(key, error, AGENCY, body)).status).toBe(403);
    expect((await review(key, error, 'qinghe-office', body)).status).toBe(403);
    expect((await review(key, error, 'licheng-office', body)).status).toBe(403);
    const view = await call('GET', `/uploads/${uploadIdFor(key)}`, AGENCY);
    expect(view.body.issues.every((i) => i.review === null)).toBe(true);
  });

  it('answers 400 for a bad body and 404 for an unknown report or finding', async () => {
    const token = 'hongze-office';
    for (const body of [
      { decision: 'MAYBE', reason: 'x' },
      { decision: 'DISMISSED', reason: '' },
      { decision: 'DISMISSED', reason: '   ' },
      { decision: 'DISMISSED', reason: 'x'.repeat(501) },
      { decision: 'DISMISSED' },
      { decision: 'DISMISSED', reason: 'x', extra: 1 },
      'not json',
    ]) {
      const res = await review(key, error, token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(/请求无效/);
    }
    const ok = { decision: 'DISMISSED', reason: 'x' };
    expect((await review(key, 'ffffffffffffffff', token, ok)).status).toBe(404);
    expect((await review(key, 'not-a-print', token, ok)).status).toBe(404);
    const missing = `incoming/${AGENCY}/2022/${randomUUID()}-none.pdf`;
    expect((await review(missing, error, token, ok)).status).toBe(404);
    expect((await call('POST', `/reports/@@/findings/${error}/review`, token, ok)).status).toBe(404);
  });

  it('lets the agency’s own office and the office above it decide; the agency sees the outcome', async () => {
    const first = await review(key, error, 'hongze-office', {
      decision: 'DISMISSED',
      reason: '叙述中的数字另有口径',
    });
    expect(first.status).toBe(201);
    expect(first.body.decision).toMatchObject({
      agencyId: AGENCY,
      year: 2022,
      fingerprint: error,
      decision: 'DISMISSED',
      office: 'hongze-office',
      reviewer: 'hongze-office',
      objectKey: key,
    });
    const second = await review(key, error, 'huaian-office', {
      decision: 'CONFIRMED',
      reason: '合计确实不符，请更正',
    });
    expect(second.status).toBe(201);
    expect(second.body.reviewStatus).toBe('CHANGES_REQUESTED');

    const view = await call('GET', `/uploads/${uploadIdFor(key)}`, AGENCY);
    expect(view.status).toBe(200);
    expect(view.body.reportId).toBe(reportIdFor(key));
    expect(view.body.status).toBe('INVALID');
    expect(view.body.reviewStatus).toBe('CHANGES_REQUESTED');
    expect(view.body.record.issues.length).toBe(view.body.issues.length);
    const issue = view.body.issues.find((i) => i.fingerprint === error);
    expect(issue?.review).toMatchObject({ decision: 'CONFIRMED', office: 'huaian-office' });
    expect(issue?.history.map((h) => h.decision)).toEqual(['DISMISSED', 'CONFIRMED']);
    expect(view.body.fixed).toEqual([]);
  });

  it('keeps decisions across re-uploads (another key, another version and format), and shows a confirmed finding that went as fixed', async () => {
    // Every other finding dismissed: the record is accepted once its one confirmed error is gone.
    for (const fp of fingerprints.filter((f) => f !== error)) {
      expect(
        (await review(key, fp, 'hongze-office', { decision: 'DISMISSED', reason: '不适用' })).status,
      ).toBe(201);
    }
    const again = await upload('requests-result-total-broken-social-welfare.pdf', 2022);
    expect(again).not.toBe(key);
    const view = await call('GET', `/uploads/${uploadIdFor(again)}`, AGENCY);
    expect(view.body.issues.map((i) => i.fingerprint)).toEqual(fingerprints);
    expect(view.body.issues.every((i) => i.review !== null)).toBe(true);
    expect(view.body.reviewStatus).toBe('CHANGES_REQUESTED');

    // A new version of the same key, now as DOCX: another record, the same findings, the same decisions.
    const relative = again.slice(`incoming/${AGENCY}/`.length);
    await served.pipeline.upload(
      AGENCY,
      relative,
      fixture('requests-result-total-broken-social-welfare.docx'),
    );
    const version = await served.pipeline.record(again);
    expect(version?.source.format).toBe('docx');
    const asDocx = await call('GET', `/uploads/${uploadIdFor(again)}`, AGENCY);
    expect(asDocx.body.issues.map((i) => i.fingerprint)).toEqual(fingerprints);
    expect(asDocx.body.issues.find((i) => i.fingerprint === error)?.review?.decision).toBe('CONFIRMED');

    const corrected = await upload('clean-three-applicant-kinds.pdf', 2022);
    const findings = await call('GET', `/supervision/2022/${AGENCY}`, 'huaian-office');
    expect(findings.status).toBe(200);
    expect(findings.body.submission.objectKey).toBe(corrected);
    expect(findings.body.reportId).toBe(reportIdFor(corrected));
    expect(findings.body.fixed).toEqual([
      expect.objectContaining({
        fingerprint: error,
        code: errorCode,
        review: expect.objectContaining({ decision: 'CONFIRMED' }),
        objectKey: key,
      }),
    ]);
    expect(findings.body.issues.map((i) => i.fingerprint)).not.toContain(error);
    // No error left: accepted, whatever the warnings' decisions.
    expect(findings.body.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(findings.body.reviewStatus).toBe('ACCEPTED');
    // The other office sees none of it.
    expect((await call('GET', `/supervision/2022/${AGENCY}`, 'qinghe-office')).status).toBe(403);
  });
});
