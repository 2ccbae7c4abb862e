import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Extractor } from '../../functions/extract/index.ts';
import { crossYearIssues } from '../../functions/pipeline/cross-year.ts';
import { notificationFor } from '../../functions/pipeline/notification.ts';
import { checkDocument, type Issue, type ReportRecord, withIssues } from '../../functions/report/index.ts';
import { comparableText, similarity } from '../../functions/report/rules/content-repeated.ts';
import { checkText, sampleText } from '../report/helpers.ts';
import { fixturePath } from '../support/fixtures.ts';
import type { ReportSpec } from '../support/report-builder.ts';
import { firstRevision } from '../support/stored.ts';

/**
 * The reviewers' cross-year checks (issue 13) on made-up pairs written as text and on the two real 洪泽区
 * years: STOCK_FLOW_MISMATCH, CONTENT_REPEATED, UNUSUAL_CHANGE.
 */
const extractor = new Extractor();
afterAll(() => extractor.close());

const codesOf = (issues: readonly Issue[], code: Issue['code']) => issues.filter((i) => i.code === code);

const OVERVIEW_2023 = [
  '2023年，我街道坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，围绕街道中心工作，持续深化政务公开。',
  '一是加强主动公开。通过街道门户网站、政务新媒体和公开栏公开各类信息216条，重点做好财政预决算、民生保障、城市更新等领域信息公开。',
  '二是规范依申请公开。严格按照法定时限答复，做到申请登记、审核、答复、归档全流程闭环管理。',
  '三是强化平台建设。对网站栏目逐一梳理，新增“惠企政策”专栏，及时更新办事指南。',
];
const PROBLEMS_2023 = [
  '2023年，我街道政府信息公开工作取得一定成效，但仍存在一些不足：一是政策解读形式较为单一，图解、视频解读数量偏少；二是部分栏目更新不够及时。',
  '下一步，我们将丰富解读形式，每季度开展一次栏目检查，并加强工作人员业务培训，不断提升政务公开工作水平。',
];
const OVERVIEW_2024 = [
  '2024年，街道以优化营商环境为主线推进政务公开，重点围绕老旧小区改造、养老服务和就业帮扶三项民生工程发布进展信息。',
  '全年制作政策图解12期，举办“政府开放日”活动2次，邀请居民代表走进街道为民服务中心，现场了解办事流程并提出意见建议。',
  '依申请公开方面，建立疑难申请会商机制，与司法所共同研判答复口径，答复文书全部经法律顾问审核。',
  '平台方面，完成网站适老化和无障碍改造，整合政务新媒体账号3个，关停长期不更新账号1个。',
];

async function pair(
  last: Partial<ReportSpec>,
  now: Partial<ReportSpec>,
): Promise<{ previous: ReportRecord; current: ReportRecord }> {
  const previous = await checkText(sampleText({ year: 2023, ...last }));
  const current = await checkText(sampleText({ year: 2024, ...now }));
  return { previous, current };
}

describe('STOCK_FLOW_MISMATCH', () => {
  it('is quiet when 现行有效 = last year + 制发 − 废止', async () => {
    const { previous, current } = await pair(
      { proactive: { normativeDocuments: [2, 0, 12] } },
      { proactive: { normativeDocuments: [3, 1, 14] } },
    );
    expect(codesOf(crossYearIssues(current, previous), 'STOCK_FLOW_MISMATCH')).toEqual([]);
  });

  it('warns with both years’ figures and the possibility of a reset count', async () => {
    const { previous, current } = await pair(
      { proactive: { normativeDocuments: [2, 0, 12] } },
      { proactive: { normativeDocuments: [3, 1, 9] } },
    );
    const hits = codesOf(crossYearIssues(current, previous), 'STOCK_FLOW_MISMATCH');
    expect(hits).toMatchObject([
      {
        severity: 'warning',
        section: 2,
        table: 'proactive',
        row: 'normativeDocuments',
        column: 'inForce',
        expected: 14,
        actual: 9,
      },
    ]);
    expect(hits[0]?.message).toMatch(
      /2024年度9件.*2023年度报告的现行有效件数（12件）.*本年制发（3件）.*本年废止（1件）.*重新/,
    );
    expect(withIssues(current, hits).status).toBe('VALID');
  });

  it('skips a previous year on the 2019 template (对外公开总数量 is not 现行有效件数)', async () => {
    const { previous, current } = await pair({}, { proactive: { normativeDocuments: [3, 1, 9] } });
    const old: ReportRecord = {
      ...previous,
      template: '2019',
      proactive: null,
      proactive2019: {
        regulations: null,
        normativeDocuments: { newlyMade: 2, newlyPublished: 2, totalPublished: 40 },
        licensing: null,
        otherExternalServices: null,
        penalties: null,
        coercion: null,
        fees: null,
        centralizedProcurement: null,
      } as unknown as ReportRecord['proactive2019'],
    };
    expect(codesOf(crossYearIssues(current, old), 'STOCK_FLOW_MISMATCH')).toEqual([]);
  });
});

describe('CONTENT_REPEATED', () => {
  it('warns when sections 一 and 五 are last year’s with only the years and numbers changed', async () => {
    const changed = (lines: string[]) => lines.map((l) => l.replaceAll('2023', '2024').replace('216', '198'));
    const { previous, current } = await pair(
      { narrative: OVERVIEW_2023, section5: PROBLEMS_2023 },
      { narrative: changed(OVERVIEW_2023), section5: changed(PROBLEMS_2023) },
    );
    const hits = codesOf(crossYearIssues(current, previous), 'CONTENT_REPEATED');
    expect(hits.map((i) => [i.section, i.severity])).toEqual([
      [1, 'warning'],
      [5, 'warning'],
    ]);
    expect(hits[0]?.message).toMatch(/第一部分与2023年度报告的同一部分相似度为\d+%/);
    expect(hits[0]?.actual).toBeGreaterThanOrEqual(85);
  });

  it('is quiet when the text was written anew, even with a shared sentence', async () => {
    const { previous, current } = await pair(
      { narrative: OVERVIEW_2023, section5: PROBLEMS_2023 },
      {
        narrative: [...OVERVIEW_2024, OVERVIEW_2023[2] ?? ''],
        section5: [
          PROBLEMS_2023[1] ?? '',
          '此外，政策解读的及时性有待提高，个别部门对申请件的研判能力不足。',
        ],
      },
    );
    expect(codesOf(crossYearIssues(current, previous), 'CONTENT_REPEATED')).toEqual([]);
  });

  it('skips a previous record stored before records kept the comparable text', async () => {
    const { previous, current } = await pair({ narrative: OVERVIEW_2023 }, { narrative: OVERVIEW_2023 });
    const old = { ...previous, sections: previous.sections.map(({ comparableText: _, ...s }) => s) };
    expect(codesOf(crossYearIssues(current, old), 'CONTENT_REPEATED')).toEqual([]);
  });

  it('normalises years, numbers, punctuation and width; bounds what the record keeps', () => {
    expect(comparableText('2023年共收到申请6件，办结率100%。')).toBe(
      comparableText('2024年共收到申请12件,办结率99.5%.'),
    );
    expect(comparableText('二〇二三年').length).toBe(2);
    expect(comparableText('政'.repeat(10_000))).toHaveLength(3000);
    expect(similarity('abc', 'abc')).toBe(1);
    expect(similarity('', 'abc')).toBe(0);
  });
});

describe('UNUSUAL_CHANGE', () => {
  it('is info for a more than fivefold change with both years ≥ 20, and changes no status or message', async () => {
    const { previous, current } = await pair(
      { proactive: { licensing: 30 } },
      { proactive: { licensing: 400 } },
    );
    const hits = codesOf(crossYearIssues(current, previous), 'UNUSUAL_CHANGE');
    expect(hits).toMatchObject([
      { severity: 'info', section: 2, row: 'licensing', expected: 30, actual: 400 },
    ]);
    const record = withIssues(current, hits);
    expect(record.status).toBe('VALID');
    expect(record.summary).toEqual(current.summary);
    const invalid = withIssues(record, [
      { code: 'CELL_MISSING', severity: 'error', section: 3, message: '空' },
    ]);
    const note = notificationFor(firstRevision(invalid));
    expect(note.message).not.toContain('UNUSUAL_CHANGE');
    expect(note.attributes.codes).toEqual(['CELL_MISSING']);
  });

  it.each([
    ['a small base', { licensing: 4 }, { licensing: 400 }],
    ['a change within 5×', { licensing: 100 }, { licensing: 480 }],
    ['a fall within 5×', { penalties: 100 }, { penalties: 21 }],
  ])('is quiet on %s', async (_name, last, now) => {
    const { previous, current } = await pair({ proactive: last }, { proactive: now });
    expect(codesOf(crossYearIssues(current, previous), 'UNUSUAL_CHANGE')).toEqual([]);
  });
});

describe('the two real 洪泽区 years', () => {
  const record = async (name: string) => {
    const bytes = readFileSync(fixturePath('real', name));
    return checkDocument({ file: name, bytes }, await extractor.extract(bytes));
  };

  it('stock and flow agree (5 + 3 − 0 = 8), the narratives were rewritten, 行政许可 550 → 9487 is info', async () => {
    const previous = await record('hongze-2023.pdf');
    const current = await record('hongze-2024.pdf');
    const issues = crossYearIssues(current, previous);
    expect(issues.map((i) => [i.code, i.severity, i.row])).toEqual([['UNUSUAL_CHANGE', 'info', 'licensing']]);
    const s1 = (r: ReportRecord, n: number) => r.sections.find((s) => s.number === n)?.comparableText ?? '';
    expect(similarity(s1(current, 1), s1(previous, 1))).toBeLessThan(0.85);
    expect(similarity(s1(current, 5), s1(previous, 5))).toBeLessThan(0.85);
  });

  it('a 2024 report that copied 2023’s sections 一 and 五 is caught', async () => {
    const previous = await record('hongze-2023.pdf');
    const current = await record('hongze-2024.pdf');
    const copied = {
      ...current,
      sections: current.sections.map(
        (s) => previous.sections.find((p) => p.number === s.number && p.comparableText) ?? s,
      ),
    };
    expect(
      codesOf(crossYearIssues(copied, previous), 'CONTENT_REPEATED').map((i) => [i.section, i.actual]),
    ).toEqual([
      [1, 100],
      [5, 100],
    ]);
  });
});
