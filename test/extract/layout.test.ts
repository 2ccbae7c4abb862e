import { describe, expect, it } from 'vitest';
import { layoutPage, type TextItem } from '../../functions/extract/pdf/layout.ts';

const item = (str: string, x: number, y: number, width = str.length * 12, fontSize = 12): TextItem => ({
  str,
  x,
  y,
  width,
  fontSize,
});
const texts = (items: TextItem[]): string[][] => layoutPage(items).map((l) => l.cells.map((c) => c.text));

describe('layoutPage', () => {
  it('joins Chinese glyph runs that pdf.js split, without spaces', () => {
    expect(
      texts([item('属', 100, 700), item('于国', 112, 700), item('家秘', 136, 700), item('密', 160, 700)]),
    ).toEqual([['属于国家秘密']]);
  });

  it('keeps a space between Latin words and separates cells at wide gaps', () => {
    const lines = texts([
      item('Report', 50, 700, 36),
      item('2023', 90, 700, 24),
      item('行政许可', 50, 650),
      item('340', 300, 650, 18),
    ]);
    expect(lines).toEqual([['Report 2023'], ['行政许可', '340']]);
  });

  it('keeps a number inside a sentence in its sentence (one cell, not three)', () => {
    // 共收到申请 | 6 | 件 with gaps of 0.3 em: narrower than a cell gap beside a number (0.6 em).
    const lines = texts([
      item('共收到申请', 50, 700, 60),
      item('6', 113.6, 700, 6),
      item('件', 123.2, 700, 12),
    ]);
    expect(lines).toEqual([['共收到申请6件']]);
  });

  it('puts numbers of adjacent narrow columns in separate cells', () => {
    const lines = texts([
      item('3001', 260, 370, 15, 7.5),
      item('53', 281, 370, 7.4, 7.5),
      item('0', 290, 370, 3.7, 7.5),
    ]);
    expect(lines).toEqual([['3001', '53', '0']]);
  });

  it('folds a label that wraps around its vertically centred numbers into one row', () => {
    const lines = layoutPage([
      item('（二）部分公开（区分处理的，', 118, 352.5),
      item('只计这一情形，不计其他情形）', 118, 335.2),
      item('3', 308, 343.9, 7),
      item('0', 354, 343.9, 7),
      item('4', 549, 343.9, 7),
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.table).toBe(true);
    expect(lines[0]?.cells.map((c) => c.text)).toEqual([
      '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
      '3',
      '0',
      '4',
    ]);
  });

  it('folds a label stacked over five lines, and a group label beside it', () => {
    const lines = texts([
      item('（六）', 114, 309.4, 36),
      item('2.申请人逾期未按收费通', 156, 300.8, 131),
      item('其他处', 114, 292.2, 36),
      item('知要求缴纳费用、行政机', 156, 283.5, 132),
      item('理', 126, 274.9, 12),
      item('0', 308, 274.9, 7),
      item('0', 354, 274.9, 7),
      item('关不再处理其政府信息公', 156, 266.3, 132),
      item('开申请', 156, 249, 36),
      item('3.其他', 156, 214.8, 40),
      item('0', 308, 214.8, 7),
      item('0', 354, 214.8, 7),
    ]);
    expect(lines).toEqual([
      [
        '（六）其他处理',
        '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
        '0',
        '0',
      ],
      ['3.其他', '0', '0'],
    ]);
  });

  it('does not fold a header row or a heading into the table rows next to it', () => {
    const lines = texts([
      item('信息内容', 78, 740),
      item('本年处理决定数量', 249, 740),
      item('行政处罚', 78, 725),
      item('3985758', 249, 725, 38),
      item('三、收到和处理政府信息公开申请情况', 106, 700, 273, 16),
    ]);
    expect(lines).toEqual([
      ['信息内容', '本年处理决定数量'],
      ['行政处罚', '3985758'],
      ['三、收到和处理政府信息公开申请情况'],
    ]);
  });

  it('orders lines top to bottom and cells left to right whatever the item order', () => {
    const lines = texts([item('0', 400, 600, 7), item('第二行', 50, 600), item('第一行', 50, 650)]);
    expect(lines).toEqual([['第一行'], ['第二行', '0']]);
  });
});
