import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractDocument, renderText } from '../../functions/extract/index.ts';
import { RADICAL_SUPPLEMENT, unifyIdeographs } from '../../functions/extract/radicals.ts';
import { checkDocument } from '../../functions/report/index.ts';
import { buildPdf, type TextRun } from '../support/pdf-writer.ts';

const UNIFIED = /^\p{Unified_Ideograph}$/u;
const KANGXI = Array.from({ length: 0x2fd5 - 0x2f00 + 1 }, (_, i) => String.fromCodePoint(0x2f00 + i));

describe('radical code points', () => {
  it('maps every CJK Radicals Supplement entry to a CJK Unified Ideograph', () => {
    expect(RADICAL_SUPPLEMENT.size).toBeGreaterThan(80);
    for (const [radical, ideograph] of RADICAL_SUPPLEMENT) {
      const cp = radical.codePointAt(0) as number;
      expect(cp >= 0x2e80 && cp <= 0x2eff, radical).toBe(true);
      expect(ideograph, `${radical} → ${ideograph}`).toMatch(UNIFIED);
      expect(unifyIdeographs(radical)).toBe(ideograph);
    }
  });

  it('agrees with Unicode where the supplement has a compatibility decomposition (⺟ 母, ⻳ 龟)', () => {
    for (const radical of RADICAL_SUPPLEMENT.keys()) {
      const nfkc = radical.normalize('NFKC');
      if (nfkc !== radical) expect(RADICAL_SUPPLEMENT.get(radical), radical).toBe(nfkc);
    }
    expect(unifyIdeographs('⺟⻳')).toBe('母龟');
  });

  it('maps every Kangxi radical to a unified ideograph', () => {
    for (const radical of KANGXI) expect(unifyIdeographs(radical), radical).toMatch(UNIFIED);
    expect(unifyIdeographs('⼀、本年新收')).toBe('一、本年新收');
    expect(unifyIdeographs('安平县建设乡⼈⺠政府')).toBe('安平县建设乡人民政府');
    expect(unifyIdeographs('⾏政复议 ⻰泉市 ⻔户⽹站')).toBe('行政复议 龙泉市 门户网站');
  });

  it('leaves all other text as it is: full-width digits, circled and parenthesised numbers, punctuation', () => {
    expect(unifyIdeographs('１２３（一）①㈠％，。：Ⅳ')).toBe('１２３（一）①㈠％，。：Ⅳ');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const radicals = /[\u2e80-\u2fdf\uf900-\ufaff]/u;
        if (!radicals.test(text)) expect(unifyIdeographs(text)).toBe(text);
        expect(Array.from(unifyIdeographs(text)).length).toBe(Array.from(text).length);
      }),
    );
  });
});

describe('a PDF whose font maps CJK to radicals (as Chromium print-to-PDF writes them)', () => {
  const row = (label: string, numbers: number[], y: number): TextRun[] => [
    { text: label, x: 40, y, font: 'type3', size: 10 },
    ...numbers.map((n, i) => ({ text: String(n), x: 300 + i * 40, y, font: 'helv' as const, size: 10 })),
  ];

  it('comes out of extraction as unified ideographs: title, headings, labels', async () => {
    const pdf = buildPdf({
      pages: [
        {
          runs: [
            { text: '安平县建设乡⼈⺠政府2021年政府信息公开⼯作年度报告', x: 40, y: 800, font: 'type3' },
            { text: '⼀、总体情况', x: 40, y: 770, font: 'type3' },
            { text: '⼆、主动公开政府信息情况', x: 40, y: 740, font: 'type3' },
            { text: '第⼆⼗条第（五）项', x: 40, y: 725, font: 'type3', size: 10 },
            { text: '信息内容', x: 40, y: 715, font: 'type3', size: 10 },
            { text: '本年处理决定数量', x: 290, y: 715, font: 'type3', size: 10 },
            ...row('⾏政许可', [86], 705),
            { text: '四、政府信息公开⾏政复议、⾏政诉讼情况', x: 40, y: 680, font: 'type3' },
            { text: '⻰泉市⻔户⽹站', x: 40, y: 650, font: 'type3' },
          ],
        },
      ],
    });
    const doc = await extractDocument(pdf);
    const text = renderText(doc);
    expect(text).not.toMatch(/[\u2e80-\u2fdf]/u);
    expect(text.split('\n')).toEqual([
      '安平县建设乡人民政府2021年政府信息公开工作年度报告',
      '一、总体情况',
      '二、主动公开政府信息情况',
      '第二十条第（五）项',
      '信息内容\t本年处理决定数量',
      '行政许可\t86',
      '四、政府信息公开行政复议、行政诉讼情况',
      '龙泉市门户网站',
    ]);

    const record = checkDocument({ file: 'radicals.pdf', bytes: pdf }, doc);
    expect(record.agency).toBe('安平县建设乡人民政府');
    expect(record.year).toBe(2021);
    expect(record.sections.filter((s) => s.found).map((s) => s.number)).toEqual([1, 2, 4]);
  });
});
