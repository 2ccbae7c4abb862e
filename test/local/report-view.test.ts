import { describe, expect, it } from 'vitest';
import { failedRecord } from '../../functions/report/index.ts';
import { pageVocabulary } from '../../functions/report/page-vocabulary.ts';
import { render } from '../../local/web/report-view.js';
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
    expect(html).toContain('无法处理');
    expect(viewCells(html)).toEqual([]);
  });
});
