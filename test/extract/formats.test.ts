import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../functions/extract/detect.ts';
import { extractDocument } from '../../functions/extract/extract.ts';
import { extractHtml } from '../../functions/extract/html.ts';
import { extractPlainText } from '../../functions/extract/plain-text.ts';
import { renderText } from '../../functions/extract/types.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('plain text', () => {
  it('splits tab, pipe and markdown rows into cells and keeps empty cells in place', () => {
    const doc = extractPlainText(
      [
        '行政许可\t0\t\t',
        '行政处罚 | 365 | ||',
        '| 自然人 | 总计 |',
        '|---|---|',
        '| 6 | 6 |',
        '普通段落',
      ].join('\n'),
      'utf-8',
    );
    const cells = doc.pages[0]?.lines.map((l) => l.cells.map((c) => c.text));
    expect(cells).toEqual([
      ['行政许可', '0', '', ''],
      ['行政处罚', '365', '', ''],
      ['自然人', '总计'],
      ['6', '6'],
      ['普通段落'],
    ]);
    expect(doc.pages[0]?.lines.map((l) => l.table)).toEqual([true, true, true, true, false]);
  });

  it('drops web page chrome lines but not text that mentions them', () => {
    const doc = extractPlainText(
      '六、其他需要报告的事项\n- 字体: 【 大 中 小 】\n-\n打印\n-\n关闭\n打印费用为0元。',
      'utf-8',
    );
    expect(renderText(doc)).toBe('六、其他需要报告的事项\n打印费用为0元。');
  });
});

describe('text decoding', () => {
  it('reads GB18030/GBK text with no marker', async () => {
    const gbk = Buffer.from('d5feb8aed0c5cfa2b9abbfaa0a31', 'hex'); // 政府信息公开\n1 in GBK
    const doc = await extractDocument(gbk);
    expect(doc.encoding).toBe('gb18030');
    expect(renderText(doc)).toBe('政府信息公开\n1');
  });

  it('reads UTF-8 with and without a BOM', async () => {
    const withBom = await extractDocument(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('一、总体情况')]));
    const without = await extractDocument(utf8('一、总体情况'));
    expect(renderText(withBom)).toBe('一、总体情况');
    expect(renderText(without)).toBe('一、总体情况');
  });
});

describe('detection by content, never by name', () => {
  it('tells HTML from text and PDF by the bytes', () => {
    expect(detectFormat(utf8('<!DOCTYPE html><html><body><p>x</p></body></html>')).format).toBe('html');
    expect(detectFormat(utf8('一、总体情况\n<不是标签>')).format).toBe('text');
    expect(detectFormat(utf8('junk\n%PDF-1.7\n')).format).toBe('pdf');
  });
});

describe('HTML', () => {
  it('resolves rowspan and colspan into grid columns and keeps blank cells', () => {
    const doc = extractHtml(`<table>
      <tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td></td><td>1</td></tr>
      <tr><td>（二）部分公开</td><td>0</td><td>0</td><td>0</td></tr>
      <tr><td colspan="2">行政许可</td><td colspan="3">86</td></tr>
    </table>`);
    const rows = doc.pages[0]?.lines.map((l) => l.cells.map((c) => `${c.text}@${c.x0}-${c.x1}`));
    expect(rows).toEqual([
      ['三、本年度办理结果@0-1', '（一）予以公开@1-2', '1@2-3', '@3-4', '1@4-5'],
      ['（二）部分公开@1-2', '0@2-3', '0@3-4', '0@4-5'],
      ['行政许可@0-2', '86@2-5'],
    ]);
  });

  it('drops navigation, scripts and chrome; joins a cell label broken by <br>', () => {
    const doc = extractHtml(`<html><head><title>t</title><script>var a=1</script></head><body>
      <nav><a>首页</a><a>政务公开</a></nav><h3>一、总体情况</h3><p>正文 &amp; 数字 6 件</p>
      <table><tr><td>（二）部分公开（区分处理的，<br>只计这一情形）</td><td>3</td></tr></table>
      <div class="tools">字体：【大 中 小】</div><div>打印</div><div>关闭</div></body></html>`);
    expect(renderText(doc)).toBe(
      '一、总体情况\n正文 & 数字 6 件\n（二）部分公开（区分处理的，只计这一情形）\t3',
    );
  });
});
