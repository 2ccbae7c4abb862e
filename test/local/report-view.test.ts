import { describe, expect, it } from 'vitest';
import { REVIEW_STATUSES } from '../../functions/pipeline/review.ts';
import { DECISIONS } from '../../functions/pipeline/review-decision.ts';
import { failedRecord } from '../../functions/report/index.ts';
import { pageVocabulary } from '../../functions/report/page-vocabulary.ts';
import type { ReviewedIssue } from '../../local/web/report-view.js';
import { render, reviewedView } from '../../local/web/report-view.js';
import { checkText, sampleSpec, sampleText } from '../report/helpers.ts';
import { report } from '../support/report-builder.ts';
import { markedCells, viewCells } from '../support/view-cells.ts';

/**
 * The report view's module (local/web/report-view.js) in Node: the HTML it draws from a record made by the
 * real parser. The page and `check --html` use the same function (their tests drive it in Chromium).
 */
const vocabulary = pageVocabulary();

describe('render(record, vocabulary)', () => {
  it('draws a clean report with nothing marked and every section checked', async () => {
    const record = await checkText(sampleText());
    expect(record.issues).toEqual([]);
    const html = render(record, vocabulary);
    expect(markedCells(html)).toEqual([]);
    expect(html.match(/class="rv-found"/g)).toHaveLength(6);
    // 25 rows × 7 columns on the 2021 row set (otherTotal2019 hidden), 15 appeal cells, 6 rows of section 2.
    const cells = viewCells(html);
    expect(cells.filter((c) => c.table === 'requests')).toHaveLength(25 * 7);
    expect(cells.filter((c) => c.table === 'appeals')).toHaveLength(15);
    expect(
      cells.find((c) => c.table === 'requests' && c.row === 'granted' && c.column === 'naturalPerson')?.text,
    ).toBe('3');
  });

  it('marks a blank cell, keeps it blank, and links its finding to it', async () => {
    const spec = sampleSpec();
    spec.requests.granted.research = null;
    const record = await checkText(sampleText(spec));
    const html = render(record, vocabulary, { idPrefix: 'x' });
    expect(markedCells(html)).toEqual(['requests granted research error']);
    const cell = viewCells(html).find((c) => c.classes.includes('rv-marked'));
    expect(cell?.text).toBe('');
    expect(cell?.classes).toContain('rv-blank');
    expect(html).toContain('<a href="#x-requests-granted-research">');
    expect(html).toContain(`id="${cell?.describedBy[0]}"`);
  });

  it('draws "/" as printed, unmarked', async () => {
    const spec = sampleSpec();
    spec.requests.granted.research = '/';
    const record = await checkText(sampleText(spec));
    expect(record.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const html = render(record, vocabulary);
    const cell = viewCells(html).find(
      (c) => c.table === 'requests' && c.row === 'granted' && c.column === 'research',
    );
    expect(cell?.text).toBe('/');
    expect(cell?.classes).toContain('rv-na');
    expect(markedCells(html)).toEqual([]);
  });

  it('draws the 2019 layout for a 2019 report: its section-2 columns and （六）其他处理 as one row', async () => {
    const spec = sampleSpec({ year: 2019, rowSet: '2019' });
    const text = report('2019', spec, (row, column) => (row === 'licensing' && column === 2 ? null : 1));
    const record = await checkText(text);
    expect(record.template).toBe('2019');
    const html = render(record, vocabulary);
    expect(markedCells(html)).toEqual(['proactive licensing decisions error']);
    expect(html).toContain('data-template="2019"');
    for (const name of ['本年新制作数量', '上一年项目数量', '采购总金额', '（六）其他处理'])
      expect(html).toContain(name);
    const rows = new Set(
      viewCells(html)
        .filter((c) => c.table === 'requests')
        .map((c) => c.row),
    );
    expect(rows.has('otherTotal2019')).toBe(true);
    expect(rows.has('otherNoCorrection')).toBe(false);
  });

  it('marks an arithmetic finding at its cell and lists document-level findings apart; escapes messages', async () => {
    const spec = sampleSpec();
    spec.appeals.review.total = 5;
    const record = await checkText(sampleText(spec));
    const html = render(
      {
        ...record,
        issues: [
          ...record.issues,
          { code: 'DECLARED_YEAR_MISMATCH', severity: 'warning', section: 0, message: '<b>2025</b>' },
        ],
      },
      vocabulary,
    );
    expect(markedCells(html)).toEqual(['appeals review total error']);
    expect(html).toContain('全文及各部分');
    expect(html).toContain('&lt;b&gt;2025&lt;/b&gt;');
    expect(html).not.toContain('<b>2025</b>');
  });

  it('draws a failed record as its failure, without tables', () => {
    const record = failedRecord(
      { file: 'a.pdf', bytes: new Uint8Array([1]) },
      'FILE_ENCRYPTED',
      '文件已加密',
    );
    const html = render(record, vocabulary);
    expect(html).toContain('文件已加密');
    expect(html).toContain('无法读取');
    expect(viewCells(html)).toEqual([]);
  });
});

describe('render(record, vocabulary, { review }): the supervisors review', () => {
  /** A record with two errors (a blank cell, an appeals total), each with a fingerprint. */
  async function twoErrors() {
    const spec = sampleSpec();
    spec.requests.granted.research = null;
    spec.appeals.review.total = 5;
    const record = await checkText(sampleText(spec));
    const issues = record.issues.map((issue, n) => ({ ...issue, fingerprint: `${n}`.padStart(16, 'a') }));
    expect(issues.map((i) => i.code)).toEqual(['CELL_MISSING', 'APPEALS_GROUP_TOTAL']);
    return { ...record, issues };
  }
  const findings = (html: string) =>
    [
      ...html.matchAll(
        /<li id="[^"]*" class="rv-(?:error|warning)" data-review="(\w+)" data-fingerprint="(\w*)">(.*?)<\/li>/g,
      ),
    ].map((m) => ({ review: m[1], fingerprint: m[2], text: (m[3] ?? '').replace(/<[^>]+>/g, '') }));

  it('says each finding’s state in words, the reason of a decision, and the review status beside the status', async () => {
    const record = await twoErrors();
    const [blank, total] = record.issues as [ReviewedIssue, ReviewedIssue];
    const reviewed = {
      ...record,
      issues: [
        {
          ...blank,
          review: {
            decision: 'DISMISSED' as const,
            reason: '本机关无科研机构申请，<空白>即0',
            reviewer: 'dev-office-user-huaian-office',
            office: 'huaian-office',
            at: '2025-04-02T02:30:00.000Z',
          },
        },
        { ...total, review: null },
      ],
    };
    const html = render(reviewed, vocabulary, {
      idPrefix: 'r',
      review: { status: 'PENDING_REVIEW', fixed: [] },
    });
    const list = findings(html);
    expect(list.map((f) => [f.review, f.fingerprint])).toEqual([
      ['DISMISSED', blank?.fingerprint],
      ['OPEN', total?.fingerprint],
    ]);
    expect(list[0]?.text).toContain(
      '已核销 核销理由：本机关无科研机构申请，&lt;空白&gt;即0（huaian-office dev-office-user-huaian-office · 2025-04-02 10:30）',
    );
    expect(html).toContain('&lt;空白&gt;');
    expect(list[1]?.text).toContain('待审核');
    // The machine status stays; the review status stands beside it, in words.
    expect(html).toContain(
      '有错误（INVALID）</span><span class="rv-review-status rv-rs-PENDING_REVIEW" data-review-status="PENDING_REVIEW">审核：待审核</span>',
    );
    expect(html).toContain('data-review-count="DISMISSED">已核销 1 项');
    expect(html).toContain('data-review-count="OPEN">待审核 1 项');
    // The dismissed finding's cell is drawn muted and its tooltip says so; the open one stays marked.
    const cells = viewCells(html).filter((c) => c.classes.includes('rv-marked'));
    expect(cells.map((c) => `${c.table} ${c.classes.includes('rv-dismissed')}`).sort()).toEqual([
      'appeals false',
      'requests true',
    ]);
    expect(html).toContain('【已核销】');
  });

  it('a confirmed finding says 须更正; a fixed one is listed under 已更正', async () => {
    const record = await twoErrors();
    const [blank, total] = record.issues as [ReviewedIssue, ReviewedIssue];
    const confirmed = {
      decision: 'CONFIRMED',
      reason: '请核对总计',
      reviewer: 'u',
      office: 'huaian-office',
      at: '2025-04-02T02:30:00.000Z',
    } as const;
    const html = render({ ...record, issues: [{ ...blank, review: { ...confirmed } }] }, vocabulary, {
      review: { status: 'CHANGES_REQUESTED', fixed: [{ ...total, review: confirmed }] },
    });
    expect(findings(html).map((f) => f.review)).toEqual(['CONFIRMED']);
    expect(findings(html)[0]?.text).toContain('须更正 更正要求：请核对总计');
    expect(html).toContain('审核：需要更正');
    expect(html).toMatch(
      /<section class="rv-part rv-fixed"[^>]*><h3>已更正[^<]*<\/h3><ol class="rv-findings"><li data-fingerprint="aaaaaaaaaaaaaaa1" data-review="FIXED">/,
    );
    expect(html).toContain('data-review-count="FIXED">已更正 1 项');
  });

  it('reads an API answer: its issues carry the reviews, its fixed findings are named by code', async () => {
    const record = await twoErrors();
    const [blank, total] = record.issues as [ReviewedIssue, ReviewedIssue];
    const dismissed = {
      decision: 'DISMISSED' as const,
      reason: '不适用',
      reviewer: 'r',
      office: 'huaian-office',
      at: '2025-04-02T02:30:00.000Z',
    };
    // As GET /uploads/{id} answers: `record` raw, `issues` the record's with review and history.
    const answer = {
      status: 'INVALID',
      reviewStatus: 'PENDING_REVIEW',
      record,
      issues: [
        { ...blank, review: dismissed, history: [dismissed] },
        { ...total, review: null, history: [] },
      ],
      fixed: [
        {
          fingerprint: 'bbbbbbbbbbbbbbbb',
          code: 'REQUESTS_BALANCE',
          review: { ...dismissed, decision: 'CONFIRMED' as const, reason: '请核对' },
          objectKey: 'incoming/x/2023/a.txt',
          versionId: null,
        },
      ],
    };
    const { record: shown, review } = reviewedView(answer);
    expect(review).toEqual({ status: 'PENDING_REVIEW', fixed: answer.fixed });
    const html = render(shown as NonNullable<typeof shown>, vocabulary, { review });
    expect(findings(html).map((f) => f.review)).toEqual(['DISMISSED', 'OPEN']);
    expect(html).toContain(`data-fingerprint="bbbbbbbbbbbbbbbb" data-review="FIXED"`);
    // One decision: no history drawn; two: the earlier one too, oldest first.
    expect(html).not.toContain('审核记录');
    const changed = { ...dismissed, decision: 'CONFIRMED' as const, reason: '先确认' };
    const twice = reviewedView({
      ...answer,
      issues: [{ ...blank, review: dismissed, history: [changed, dismissed] }, answer.issues[1]],
    });
    const again = render(twice.record as NonNullable<typeof shown>, vocabulary, { review: twice.review });
    expect(again).toContain('<summary>审核记录 2 条</summary><ol><li>须更正：先确认');
    expect(html).toContain(`${vocabulary.codes.REQUESTS_BALANCE?.meaning} <code>REQUESTS_BALANCE</code>`);
    // An answer without a review (an older server) draws as before.
    expect(reviewedView({ record }).review).toBeNull();
    expect(reviewedView({ status: 'PENDING' })).toEqual({ record: null, review: null });
  });

  it('has words for every review status and decision the API answers', () => {
    expect(Object.keys(vocabulary.review.statuses).sort()).toEqual([...REVIEW_STATUSES].sort());
    expect(Object.keys(vocabulary.review.decisions).sort()).toEqual(['OPEN', ...DECISIONS].sort());
    expect(Object.keys(vocabulary.review.actions).sort()).toEqual([...DECISIONS].sort());
    expect(Object.keys(vocabulary.review.reasons).sort()).toEqual([...DECISIONS].sort());
  });

  it('draws nothing of the review without it (check --html)', async () => {
    const html = render(await twoErrors(), vocabulary);
    expect(html).not.toContain('data-review');
    expect(html).not.toContain('待审核');
  });
});
