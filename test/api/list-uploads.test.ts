import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPipeline } from '../../local/local-pipeline.ts';
import { fixturePath } from '../support/fixtures.ts';
import { startServed } from '../support/served.ts';

/**
 * GET /uploads?year=YYYY on the local API (the Lambda's handler, s3rver's listing, dynalite's records):
 * an agency's own uploads for a declared year with their status, newest first; and GET /uploads/{id}
 * carrying the whole record for the report view.
 */
let pipeline: LocalPipeline;
let url: string;
let stop: () => Promise<void>;
let token: (account: string) => Promise<string>;

beforeAll(async () => {
  ({ pipeline, url, stop, token } = await startServed());
}, 60_000);
afterAll(async () => {
  await stop?.();
});

/** The account's Authorization header, its token from the local provider. */
const auth = async (account: string) => ({ authorization: `Bearer ${await token(account)}` });

async function uploadAs(agency: string, year: number, file: string): Promise<string> {
  const res = await fetch(`${url}/uploads`, {
    method: 'POST',
    headers: { ...(await auth(agency)), 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: path.basename(file), year, contentType: 'text/html' }),
  });
  const upload = (await res.json()) as { uploadId: string; url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append('file', new Blob([readFileSync(file)], { type: 'text/html' }), path.basename(file));
  const posted = await fetch(upload.url, { method: 'POST', body: form });
  expect(posted.status).toBeLessThan(300);
  await pipeline.router.idle();
  return upload.uploadId;
}

const list = async (agency: string, query: string) => {
  const res = await fetch(`${url}/uploads${query}`, { headers: await auth(agency) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('GET /uploads?year', () => {
  it("lists the caller's own uploads for the declared year with status; others see none", async () => {
    const blank = fixturePath('synthetic', 'cell-missing-new-received.html');
    const clean = fixturePath('synthetic', 'clean-many-outcomes.html');
    const invalid = await uploadAs('licheng-kaiyuan', 2021, blank);
    const valid = await uploadAs('licheng-kaiyuan', 2021, clean);
    await uploadAs('licheng-kaiyuan', 2022, fixturePath('synthetic', 'clean-three-applicant-kinds.html'));

    const { status, body } = await list('licheng-kaiyuan', '?year=2021');
    expect(status).toBe(200);
    const uploads = body.uploads as {
      uploadId: string;
      fileName: string;
      status: string;
      reviewStatus: string | null;
      reportYear: number;
    }[];
    expect(
      uploads.map((u) => [u.uploadId, u.fileName, u.status, u.reviewStatus, u.reportYear]).sort(),
    ).toEqual(
      [
        [invalid, path.basename(blank), 'INVALID', 'PENDING_REVIEW', 2021],
        [valid, path.basename(clean), 'VALID', 'ACCEPTED', 2021],
      ].sort(),
    );
    expect(body.truncated).toBe(false);
    await expect(list('huaian-gov', '?year=2021')).resolves.toMatchObject({
      status: 200,
      body: { uploads: [] },
    });

    // GET /uploads/{id} carries the record the report view draws.
    const one = (await (
      await fetch(`${url}/uploads/${invalid}`, { headers: await auth('licheng-kaiyuan') })
    ).json()) as {
      record: { requests: { newReceived: { research: number | null } } };
    };
    expect(one.record.requests.newReceived.research).toBeNull();

    // A supervisor confirms one of its findings: the listing says so, without opening the upload.
    const opened = (await (
      await fetch(`${url}/uploads/${invalid}`, { headers: await auth('licheng-kaiyuan') })
    ).json()) as { reportId: string; issues: { fingerprint: string; severity: string }[] };
    const error = opened.issues.find((i) => i.severity === 'error');
    expect(error).toBeDefined();
    const decided = await fetch(`${url}/reports/${opened.reportId}/findings/${error?.fingerprint}/review`, {
      method: 'POST',
      headers: { ...(await auth('licheng-office')), 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'CONFIRMED', reason: '请按表格重新核对后更正' }),
    });
    expect(decided.status).toBe(201);
    const after = (await list('licheng-kaiyuan', '?year=2021')).body.uploads as typeof uploads;
    expect(after.find((u) => u.uploadId === invalid)?.reviewStatus).toBe('CHANGES_REQUESTED');
    expect(after.find((u) => u.uploadId === valid)?.reviewStatus).toBe('ACCEPTED');
  }, 120_000);

  it('answers 400 without a plausible year and 401 without a token', async () => {
    for (const query of ['', '?year=', '?year=20x1', '?year=1999', '?year=2021.5']) {
      await expect(list('licheng-kaiyuan', query)).resolves.toMatchObject({ status: 400 });
    }
    expect((await fetch(`${url}/uploads?year=2021`)).status).toBe(401);
  });
});
