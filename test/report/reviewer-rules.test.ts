import { describe, expect, it } from 'vitest';
import type { ReportRecord } from '../../functions/report/index.ts';
import { narrativeClaims } from '../../functions/report/narrative.ts';
import { checkText, sampleSpec, sampleText } from './helpers.ts';

/**
 * The reviewers' per-report checks (issue 13) on whole reports written as text and run through the real
 * extractor and parser: SECTION_EMPTY, FEE_STATEMENT_MISSING and NARRATIVE_MISMATCH beyond requests.
 */
const found = (r: ReportRecord, code: string) => r.issues.filter((i) => i.code === code);

describe('SECTION_EMPTY', () => {
  it('is quiet on a section 五 that names a problem and a fix, and on a short fee statement in 六', async () => {
    const r = await checkText(sampleText());
    expect(found(r, 'SECTION_EMPTY')).toEqual([]);
  });

  it.each([
    ['only 无', ['无。']],
    ['a sentence that says nothing', ['无其他需要报告的事项。']],
    ['nothing at all', []],
  ])('section 五 with %s is a warning', async (_name, section5) => {
    const r = await checkText(sampleText({ section5 }));
    const hits = found(r, 'SECTION_EMPTY');
    expect(hits.map((i) => [i.section, i.severity])).toEqual([[5, 'warning']]);
    expect(hits[0]?.message).toMatch(/第五部分/);
    expect(r.status).toBe('VALID');
  });

  it('section 六 with only 无 is a warning (and says nothing of the fee either)', async () => {
    const r = await checkText(sampleText({ section6: ['无'] }));
    expect(found(r, 'SECTION_EMPTY').map((i) => i.section)).toEqual([6]);
    expect(found(r, 'FEE_STATEMENT_MISSING').map((i) => i.section)).toEqual([6]);
  });

  it('the signature and date under section 六 are not its content', async () => {
    // The builder signs every report; with section 六 only 无 the signature must not make it long enough.
    const r = await checkText(sampleText({ agency: '淮安市洪泽区人民政府办公室', section6: ['无。'] }));
    expect(found(r, 'SECTION_EMPTY').map((i) => i.section)).toEqual([6]);
  });

  it('a missing section 五 is SECTION_MISSING, not SECTION_EMPTY', async () => {
    const r = await checkText(sampleText({ omitSections: [5], section5: [] }));
    expect(found(r, 'SECTION_EMPTY')).toEqual([]);
    expect(found(r, 'SECTION_MISSING').map((i) => i.section)).toEqual([5]);
  });
});

describe('FEE_STATEMENT_MISSING', () => {
  it.each([
    '本年度未收取信息处理费。',
    '2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。',
    '本年度我单位未发出政府信息处理费收费通知书，不存在收取信息处理费的情况。',
    '本机关本年度共收取信息处理费200元。',
    '本年度无收费情况。其他无需要报告的事项。',
  ])('accepts %s', async (statement) => {
    const r = await checkText(sampleText({ section6: [statement] }));
    expect(found(r, 'FEE_STATEMENT_MISSING')).toEqual([]);
  });

  it('warns when section 六 speaks of other matters only', async () => {
    const r = await checkText(
      sampleText({
        section6: ['本年度我单位认真办理人大代表建议和政协提案，按要求公开办理结果，无其他需要报告的事项。'],
      }),
    );
    expect(found(r, 'FEE_STATEMENT_MISSING').map((i) => [i.section, i.severity])).toEqual([[6, 'warning']]);
    expect(r.status).toBe('VALID');
  });

  it("never reads table 二's 行政事业性收费: the fee there does not count as a statement", async () => {
    const r = await checkText(
      sampleText({ section6: ['本年度无其他需要报告的事项，政务公开工作平稳有序推进。'] }),
    );
    expect(found(r, 'FEE_STATEMENT_MISSING')).toHaveLength(1);
    expect(r.proactive?.feesTenThousandYuan).toBe(0.5);
  });
});

describe('NARRATIVE_MISMATCH beyond requests', () => {
  // sampleSpec: 行政复议 1 (upheld), 行政诉讼 direct 2 (1 other, 1 pending), after review 0.
  const withSentence = (...narrative: string[]) => checkText(sampleText({ narrative }));
  const appealsFindings = (r: ReportRecord) =>
    r.issues.filter((i) => i.code === 'NARRATIVE_MISMATCH' && i.table !== 'requests');

  it('agrees: 行政复议 and 行政诉讼 (direct + after review) as the table has them', async () => {
    const r = await withSentence('全年因政府信息公开被申请行政复议1件，被提起行政诉讼2件。');
    expect(appealsFindings(r)).toEqual([]);
  });

  it('flags a 行政复议 count that differs from table 四, naming both', async () => {
    const r = await withSentence('全年因政府信息公开被申请行政复议3件，被提起行政诉讼2件。');
    const hits = appealsFindings(r);
    expect(hits.map((i) => [i.section, i.group, i.expected, i.actual, i.severity])).toEqual([
      [1, 'review', 1, 3, 'warning'],
    ]);
    expect(hits[0]?.message).toContain('行政复议3件');
  });

  it('flags a 行政诉讼 count against direct + after-review', async () => {
    const r = await withSentence('本年度发生政府信息公开行政诉讼案件1件。');
    expect(appealsFindings(r).map((i) => [i.table, i.expected, i.actual])).toEqual([['appeals', 2, 1]]);
  });

  it.each([
    ['a city-wide figure', '全市共发生政府信息公开行政复议案件35件、行政诉讼案件12件。'],
    ['a running total', '自条例施行以来，累计办理政府信息公开行政复议案件15件。'],
    ['another year', '2022年因政府信息公开被申请行政复议6件。'],
    ['a comparison', '政府信息公开行政复议案件5件，同比下降50%。'],
    ['one of the two litigation groups', '因政府信息公开经复议后提起行政诉讼5件。'],
    ['a sentence not about disclosure', '本年度办理行政复议案件120件，行政诉讼应诉案件40件。'],
    ['a subject stated twice with different numbers', '政府信息公开行政复议4件。依申请公开引发行政复议5件。'],
  ])('stays quiet on %s', async (_name, sentence) => {
    const r = await withSentence(sentence);
    expect(appealsFindings(r)).toEqual([]);
  });

  it('reads table 二 items only where the text names them: 制发规范性文件, 行政许可决定', async () => {
    const ok = await withSentence(
      '本年度我单位制发规范性文件1件，作出行政许可决定35件，主动公开政府信息216条。',
    );
    expect(appealsFindings(ok)).toEqual([]);
    const wrong = await withSentence('本年度我单位制发规范性文件3件，作出行政许可决定35件。');
    expect(appealsFindings(wrong).map((i) => [i.table, i.row, i.column, i.expected, i.actual])).toEqual([
      ['proactive', 'normativeDocuments', 'issued', 1, 3],
    ]);
    // 公开行政许可信息N条 counts published items, not decisions: not read.
    const items = await withSentence('本年度公开行政许可信息1200条、行政处罚信息300条。');
    expect(appealsFindings(items)).toEqual([]);
  });

  it('reads section 四 prose as being about disclosure', () => {
    expect(
      narrativeClaims('本年度行政复议0件，行政诉讼0件。', 2023, true).map((c) => [c.subject, c.value]),
    ).toEqual([
      ['review', 0],
      ['litigation', 0],
    ]);
    expect(narrativeClaims('本年度行政复议0件，行政诉讼0件。', 2023, false)).toEqual([]);
  });

  it('a report whose narrative and tables agree stays VALID with no new finding', async () => {
    const spec = sampleSpec();
    const r = await checkText(sampleText(spec));
    expect(r.issues).toEqual([]);
  });
});
