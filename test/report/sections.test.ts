import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../functions/extract/index.ts';
import { checkDocument, type ReportRecord } from '../../functions/report/index.ts';
import { listFixtures } from '../support/fixtures.ts';
import { checkText, codes, errors, sampleText } from './helpers.ts';

/**
 * Section headings as real reports word them: the template's titles reworded, headings inside a
 * crawler's paragraph, decoys that merely mention a title, and sections renumbered.
 */
const TEMPLATE_TITLES = [
  '一、总体情况',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
] as const;

/** Reworded headings seen in (or built from the classes of variation of) published reports. */
const VARIANTS: Record<number, string[]> = {
  1: [
    '一、总体工作情况',
    '一、基本情况',
    '一、概述',
    '一、政府信息公开工作总体情况',
    '一、 总体情况。',
    '## 一、总体概况',
  ],
  2: [
    '二、主动公开政府信息',
    '二、主动公开政务信息情况',
    '二、主动公开政府信息的情况',
    '二、主动公开政府信息工作情况',
    '第二部分 主动公开政府信息情况',
    '**二、主动公开政府信息情况**',
  ],
  3: [
    '三、收到和处理政府信息公开申报情况',
    '三、收到和处理政府信息公开申请',
    '三、收到和处理政务信息公开申请情况',
    '三、收到和处理政府信息公开申请的情况',
    '三、依申请公开政府信息办理情况',
    '三、政府信息公开申请受理和答复情况',
  ],
  4: [
    '四、政府信息公开行政复议、行政诉讼',
    '四、政府信息公开行政复议和行政诉讼情况',
    '四、因政府信息公开工作被申请行政复议、提起行政诉讼情况',
    '四、政务信息公开行政复议、行政诉讼情况',
    '四、行政复议及行政诉讼情况',
  ],
  5: [
    '五、政府信息公开工作存在的主要问题及改进情况',
    '五、存在的主要问题及整改措施',
    '五、存在的主要问题和改进措施',
    '五、存在的问题及改进措施',
    '五、工作中存在的不足和下一步工作打算',
    '五、存在问题和改进方向',
    '五、存在的主要问题及改进',
  ],
  6: [
    '六、其他需要报告的事项',
    '六、其他需报告的事项',
    '六、其他事项',
    '六、其他有关事项',
    '六、其他需要报告的事项说明',
    '六、其它需要报告的事项',
  ],
};

const found = (r: ReportRecord) => r.sections.filter((s) => s.found).map((s) => s.number);
const sectionFindings = (r: ReportRecord) =>
  r.issues.filter((i) => i.code === 'SECTION_MISSING' || i.code === 'SECTION_ORDER');

function withHeading(text: string, section: number, heading: string): string {
  return text.replace(`\n${TEMPLATE_TITLES[section - 1]}\n`, `\n${heading}\n`);
}

describe('reworded headings', () => {
  for (const [section, variants] of Object.entries(VARIANTS)) {
    for (const heading of variants) {
      it(`finds section ${section} under "${heading}" with no finding`, async () => {
        const r = await checkText(withHeading(sampleText(), Number(section), heading));
        expect(found(r)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(errors(r)).toEqual([]);
        expect(sectionFindings(r)).toEqual([]);
      });
    }
  }

  it('reads every seed and synthetic text report the same with all its headings reworded', async () => {
    const texts = listFixtures().filter((f) => f.file.endsWith('.txt'));
    expect(texts.length).toBeGreaterThan(20);
    let variantIndex = 0;
    for (const f of texts) {
      const original = readFileSync(f.path, 'utf8');
      let reworded = original;
      for (let s = 1; s <= 6; s++) {
        const options = VARIANTS[s] ?? [];
        const title = TEMPLATE_TITLES[s - 1] ?? '';
        reworded = reworded.replace(
          new RegExp(`^([#\\s]*)${title}\\s*$`, 'm'),
          `$1${options[variantIndex++ % options.length] ?? ''}`,
        );
      }
      const before = await check(f.file, original);
      const after = await check(f.file, reworded);
      expect(found(after), f.file).toEqual(found(before));
      expect(found(after), f.file).toEqual(f.truth.sectionsPresent ?? [1, 2, 3, 4, 5, 6]);
      expect(codes(after), f.file).toEqual(codes(before));
      expect(after.requests, f.file).toEqual(before.requests);
    }
  });
});

async function check(file: string, text: string): Promise<ReportRecord> {
  const bytes = new TextEncoder().encode(text);
  return checkDocument({ file, bytes }, await extractDocument(bytes));
}

describe('headings wrapped over two lines', () => {
  it('joins the last characters a PDF line pushed onto the next line', async () => {
    const text = sampleText().replace(
      '\n五、存在的主要问题及改进情况\n',
      '\n五、政府信息公开工作存在的主要问题及改进情\n况\n',
    );
    const r = await checkText(text);
    expect(found(r)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sectionFindings(r)).toEqual([]);
  });
});

describe('headings inside paragraphs (a crawler flattened the page)', () => {
  it('finds each heading run into the previous sentence and its own text', async () => {
    let text = sampleText();
    for (const title of TEMPLATE_TITLES) text = text.replace(`。\n${title}\n`, `。${title} `);
    // Headings before a table keep their line, as a crawler keeps the table's row breaks.
    expect(text).toContain('至12月31日。一、总体情况 2023年');
    const r = await checkText(text);
    expect(found(r)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sectionFindings(r)).toEqual([]);
    expect(r.sections[0]?.title).toBe('一、总体情况');
  });

  it('finds headings glued to the text and table that follow them', async () => {
    const text = [
      '某区2021年政府信息公开工作年度报告',
      '本报告统计期限为2021年1月1日至12月31日；邮编：350400。一、总体情况2021年，我区认真贯彻条例要求，主动公开信息1200条，各项工作有序推进，取得良好成效。二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数',
      '行政事业性收费24252.311082三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
      '（七）总计630020469四、结转下年度继续办理1000001 四、政府信息公开行政复议、行政诉讼情况 行政复议结果维持',
      '尚未审结总计10203120001200000五、存在的主要问题及改进情况（一）存在的主要问题：政策解读形式不够丰富，下一步将加强培训。六、其他需要报告的事项 本年度未收取信息处理费。',
    ].join('\n');
    const r = await checkText(text);
    expect(r.sections.filter((s) => s.found).map((s) => s.title)).toEqual([...TEMPLATE_TITLES]);
  });
});

describe('decoys are not headings', () => {
  const decoys = [
    '本报告全文包含“总体情况”“主动公开政府信息情况”“收到和处理政府信息公开申请情况”“政府信息公开行政复议、行政诉讼情况”“存在的主要问题及改进情况”“其他需要报告的事项”六个部分。',
    '（一）主动公开情况',
    '（二）依申请公开情况',
    '2、依申请公开情况',
    '1.政府信息公开基本情况',
    '今年总体情况良好，未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。',
    '一是总体情况稳定；二是存在的主要问题已整改。',
  ];

  for (const omitted of [1, 2, 3, 4, 5, 6]) {
    it(`section ${omitted} left out stays SECTION_MISSING among decoys`, async () => {
      const text = sampleText({ omitSections: [omitted] }).replace(
        /(数据统计期限为[^\n]*\n)/,
        `$1${decoys.join('\n')}\n`,
      );
      const r = await checkText(text);
      expect(found(r)).toEqual([1, 2, 3, 4, 5, 6].filter((n) => n !== omitted));
      expect(sectionFindings(r).map((i) => [i.code, i.section])).toEqual([['SECTION_MISSING', omitted]]);
    });
  }

  it('never takes the requests table row 四、结转下年度继续办理 or 三、本年度办理结果 for a section', async () => {
    const r = await checkText(sampleText({ omitSections: [3, 4] }));
    expect(sectionFindings(r).map((i) => [i.code, i.section])).toEqual([
      ['SECTION_MISSING', 3],
      ['SECTION_MISSING', 4],
    ]);
  });

  it('never finds a heading in arbitrary narrative without a section number', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.constantFrom(
            '总体情况',
            '主动公开',
            '政府信息',
            '申请',
            '处理',
            '复议',
            '诉讼',
            '问题',
            '改进',
            '其他',
            '事项',
            '。',
            '，',
          ),
          {
            maxLength: 30,
          },
        ),
        async (words) => {
          const r = await checkText(
            `${sampleText({ omitSections: [1] }).replace('\n二、', `\n今年${words.join('')}\n二、`)}`,
          );
          expect(found(r)).not.toContain(1);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('renumbered sections', () => {
  it('reports a heading under another number as SECTION_ORDER, not SECTION_MISSING', async () => {
    let text = sampleText({ omitSections: [2] });
    text = text
      .replace('\n三、收到和处理', '\n二、收到和处理')
      .replace('\n四、政府信息公开行政复议', '\n三、政府信息公开行政复议')
      .replace('\n五、存在的', '\n四、存在的')
      .replace('\n六、其他', '\n五、其他');
    const r = await checkText(text);
    expect(found(r)).toEqual([1, 3, 4, 5, 6]);
    const findings = sectionFindings(r).map((i) => [i.code, i.section, i.severity]);
    expect(findings).toEqual([
      ['SECTION_MISSING', 2, 'error'],
      ['SECTION_ORDER', 3, 'warning'],
      ['SECTION_ORDER', 4, 'warning'],
      ['SECTION_ORDER', 5, 'warning'],
      ['SECTION_ORDER', 6, 'warning'],
    ]);
    expect(r.requests?.newReceived).not.toBeNull();
  });
});
