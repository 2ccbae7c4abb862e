import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../functions/extract/index.ts';
import { checkDocument, type ReportRecord } from '../../functions/report/index.ts';
import { REQUEST_COLUMNS, REQUEST_ROWS } from '../../functions/report/template.ts';
import { listFixtures } from '../support/fixtures.ts';
import { buildPdf, type TextRun } from '../support/pdf-writer.ts';
import { codes, errors, sampleSpec, sampleText } from './helpers.ts';

/**
 * Tables in pieces: the appeals table printed as three small tables (or a row per group), table 三 split
 * across pages or into several tables with repeated headers, a stray header row with wrong labels. Each
 * variant is made by transforming a report's text, then read as TXT, as HTML and (the appeals) as PDF.
 */
const APPEALS_HEADER = /四、政府信息公开行政复议、行政诉讼情况\n(?:.*\n){3}(.*)\n/;
const COLUMNS = '结果维持\t结果纠正\t其他结果\t尚未审结\t总计';

/** Rewrites the appeals table from its three groups of five numbers (`layout` gets each group's row). */
function rewriteAppeals(text: string, layout: (group: (i: number) => string) => string[]): string {
  const m = APPEALS_HEADER.exec(text);
  const n = m?.[1]?.split('\t');
  if (n?.length !== 15) return text;
  const group = (i: number) => n.slice(i * 5, i * 5 + 5).join('\t');
  return text.replace(
    APPEALS_HEADER,
    ['四、政府信息公开行政复议、行政诉讼情况', ...layout(group), ''].join('\n'),
  );
}

/** The appeals table as three captioned tables, each with its own header row. */
const appealsAsThreeTables = (text: string, header = COLUMNS) =>
  rewriteAppeals(text, (group) => [
    '（一）行政复议情况',
    header,
    group(0),
    '（二）行政诉讼情况（未经复议直接起诉）',
    header,
    group(1),
    '（三）行政诉讼情况（复议后起诉）',
    header,
    group(2),
  ]);

/** The appeals table as one table with a row per group. */
const appealsAsGroupRows = (text: string) =>
  rewriteAppeals(text, (group) => [
    `类别\t${COLUMNS}`,
    `行政复议\t${group(0)}`,
    `行政诉讼（未经复议直接起诉）\t${group(1)}`,
    `行政诉讼（复议后起诉）\t${group(2)}`,
  ]);

const REQUESTS_HEADER = [
  '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况',
  '\t自然人\t法人或其他组织\t\t\t\t\t总计',
  '\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他',
].join('\n');

/** Table 三 continued on a new page (form feed) with its header printed again before the given row. */
function requestsSplitBefore(
  text: string,
  rowLabel: RegExp,
  header = REQUESTS_HEADER,
  pageBreak = true,
): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes('\t') && rowLabel.test(l));
  if (at < 0) return text;
  lines.splice(at, 0, `${pageBreak ? '\f' : ''}${header}`);
  return lines.join('\n');
}

const STRAY_HEADER = '\t自然人\t企业\t科研单位\t社会组织\t律师事务所\t其他\t合计';

async function read(text: string, file = 'report.txt'): Promise<ReportRecord> {
  const bytes = new TextEncoder().encode(text);
  return checkDocument({ file, bytes }, await extractDocument(bytes));
}

/** The same report as a web page: tab rows become table rows (a new table after any other line). */
function asHtml(text: string): string {
  const out: string[] = ['<html><body>'];
  let open = false;
  for (const line of text.replace(/\f/g, '').split('\n')) {
    if (line.trim() === '') continue;
    if (line.includes('\t')) {
      if (!open) out.push('<table border="1">');
      open = true;
      out.push(
        `<tr>${line
          .split('\t')
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
      );
    } else {
      if (open) out.push('</table>');
      open = false;
      out.push(`<p>${line}</p>`);
    }
  }
  if (open) out.push('</table>');
  out.push('</body></html>');
  return out.join('\n');
}

const spec = sampleSpec();
const variants: [string, (t: string) => string][] = [
  ['appeals as three captioned tables', (t) => appealsAsThreeTables(t)],
  [
    'appeals as three tables with a stray header (合计 for 总计)',
    (t) => appealsAsThreeTables(t, '结果维持\t结果纠正\t其他结果\t尚未审结\t合计'),
  ],
  ['appeals as a row per group', appealsAsGroupRows],
  ['table 三 split across pages before （三）不予公开', (t) => requestsSplitBefore(t, /国家秘密/)],
  [
    'table 三 split into several tables with repeated headers',
    (t) =>
      requestsSplitBefore(
        requestsSplitBefore(t, /（四）无法提供/, REQUESTS_HEADER, false),
        /（七）总计/,
        REQUESTS_HEADER,
        false,
      ),
  ],
  [
    'table 三 with a stray header row of wrong labels',
    (t) => requestsSplitBefore(t, /予以公开/, STRAY_HEADER, false),
  ],
  [
    'all at once',
    (t) =>
      appealsAsThreeTables(requestsSplitBefore(requestsSplitBefore(t, /不掌握/), /国家秘密/, STRAY_HEADER)),
  ],
];

describe.each(variants)('%s', (_name, transform) => {
  const text = transform(sampleText(spec));

  it('changes the text (the variant is real)', () => {
    expect(text).not.toBe(sampleText(spec));
  });

  for (const format of ['txt', 'html'] as const) {
    it(`reads every number exactly from ${format} with no finding`, async () => {
      const r = format === 'txt' ? await read(text) : await read(asHtml(text), 'report.html');
      expect(r.requests).toEqual({ ...spec.requests, otherTotal2019: null });
      expect(r.appeals).toEqual(spec.appeals);
      expect(errors(r)).toEqual([]);
      expect(codes(r)).not.toContain('ROW_MISSING');
    });
  }
});

describe('every text fixture read the same with its tables in pieces', () => {
  const fixtures = listFixtures().filter((f) => f.file.endsWith('.txt'));
  for (const [name, transform] of variants) {
    it(name, async () => {
      let changed = 0;
      for (const f of fixtures) {
        const original = readFileSync(f.path, 'utf8');
        const text = transform(original);
        if (text !== original) changed++;
        const r = await read(text);
        expect(r.requests, f.file).toMatchObject(f.truth.requests);
        expect(r.appeals, f.file).toEqual(f.truth.appeals);
        const before = await read(original);
        expect(codes(r), f.file).toEqual(codes(before));
      }
      expect(changed).toBeGreaterThan(fixtures.length / 2);
    });
  }
});

describe('the appeals table in three pieces in a PDF', () => {
  it('places each piece on its own header, blanks included', async () => {
    const runs: TextRun[] = [];
    let y = 800;
    const line = (cells: (string | null)[], x0 = 60, pitch = 70) => {
      cells.forEach((text, i) => {
        if (text !== null && text !== '') runs.push({ text, x: x0 + i * pitch, y, size: 10, font: 'song' });
      });
      y -= 16;
    };
    line(['清河区光明街道办事处2023年政府信息公开工作年度报告']);
    // Table 三 as the template prints it, so that the appeals pieces sit where they belong.
    line(['三、收到和处理政府信息公开申请情况']);
    line(
      ['申请人情况', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'],
      40,
      62,
    );
    for (const row of REQUEST_ROWS) {
      const values = REQUEST_COLUMNS.map((c) => String(spec.requests[row.key][c]));
      runs.push({ text: row.name.replace(/\s/g, ''), x: 20, y, size: 5, font: 'song' });
      line([null, ...values], 40, 62);
    }
    line(['四、政府信息公开行政复议、行政诉讼情况']);
    const header = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
    const groups = [
      ['（一）行政复议', ['1', '0', '0', '0', '1']],
      ['（二）行政诉讼（未经复议直接起诉）', ['0', null, '1', '1', '2']],
      ['（三）行政诉讼（复议后起诉）', ['0', '0', '0', '0', '0']],
    ] as const;
    for (const [caption, numbers] of groups) {
      line([caption]);
      line([...header]);
      line(
        [...numbers].map((n) => (n === null ? null : `${n}`)),
        72,
      );
    }
    line(['五、存在的主要问题及改进情况']);
    line(['公开内容的全面性有待提升。']);
    const bytes = buildPdf({ pages: [{ runs }] });
    const doc = await extractDocument(bytes);
    const record = checkDocument({ file: 'report.pdf', bytes }, doc);
    expect(record.requests).toEqual({ ...spec.requests, otherTotal2019: null });
    expect(record.appeals).toEqual({
      review: { upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 },
      litigationDirect: { upheld: 0, corrected: null, other: 1, pending: 1, total: 2 },
      litigationAfterReview: { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 },
    });
  });
});
