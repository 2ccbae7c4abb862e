import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ExtractedDocument, extractDocument } from '../../functions/extract/index.ts';
import { notificationFor } from '../../functions/pipeline/notification.ts';
import { checkDocument, ReportRecord } from '../../functions/report/index.ts';
import { OCR_CONFIDENT } from '../../functions/report/ocr-doubt.ts';
import { pageVocabulary } from '../../functions/report/page-vocabulary.ts';
import { REQUEST_COLUMNS } from '../../functions/report/template.ts';
import { render } from '../../local/web/report-view.js';
import { fixturePath } from '../support/fixtures.ts';
import { viewCells } from '../support/view-cells.ts';

/**
 * Our misreads are never the agency's mistake (issue 24). A real report's extraction is dressed as an OCR
 * reading (every cell confident, as the OCR leaves them), then one cell is misread: with low confidence
 * the failed rules become OCR_UNCERTAIN naming the cell; with high confidence they stay the rules' errors;
 * a failure the doubtful cell cannot explain stays an error too.
 */
const file = fixturePath('synthetic', 'clean-single-request.pdf');
let text: ExtractedDocument;
beforeAll(async () => {
  text = await extractDocument(new Uint8Array(readFileSync(file)));
});

/** The document as OCR would hand it over: every cell with a confidence and a box on its page. */
function asOcr(doc: ExtractedDocument): ExtractedDocument {
  const copy = structuredClone(doc);
  for (const page of copy.pages)
    for (const line of page.lines)
      for (const cell of line.cells)
        cell.ocr = { confidence: 0.99, page: page.number, box: [cell.x0, 0, cell.x1, 10] };
  copy.ocr = {
    engine: 'onnxruntime-node',
    model: 'test',
    pages: copy.pages.map((p) => p.number),
    meanConfidence: 0.99,
  };
  return copy;
}

/** The cells of the "一、本年新收" row: label, six applicant columns, total. */
function newReceived(doc: ExtractedDocument) {
  for (const page of doc.pages)
    for (const line of page.lines) if (line.cells[0]?.text.startsWith('一、本年新收')) return line.cells;
  throw new Error('row not found');
}

const check = (doc: ExtractedDocument) => checkDocument({ file: 'scan.pdf', bytes: new Uint8Array(1) }, doc);

describe('OCR_READ and OCR_UNCERTAIN', () => {
  it('a clean scan: VALID, one OCR_READ warning, source.ocr with no doubtful cell read', () => {
    const record = check(asOcr(text));
    expect(ReportRecord.parse(record)).toEqual(record);
    expect(record.status).toBe('VALID');
    expect(record.issues.map((i) => i.code)).toContain('OCR_READ');
    expect(record.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(record.source.ocr).toMatchObject({ engine: 'onnxruntime-node', pages: [1, 2, 3] });
    // The report leaves out the 规章 row (a ROW_MISSING warning): on a scan that may be our miss, so the
    // row is listed, pointing at the table's page, with nothing read.
    const listed = record.source.ocr?.doubtful ?? [];
    expect(listed.map((d) => `${d.table} ${d.row} ${d.column}`)).toEqual([
      'proactive regulations issued',
      'proactive regulations repealed',
      'proactive regulations inForce',
    ]);
    expect(listed.every((d) => d.page === 1 && d.text === '' && d.confidence === 0)).toBe(true);
    expect(record.issues.find((i) => i.code === 'ROW_MISSING')?.severity).toBe('warning');
  });

  it('a text PDF has no source.ocr and no OCR finding', () => {
    const record = check(text);
    expect(record.source.ocr).toBeUndefined();
    expect(record.issues.some((i) => i.code.startsWith('OCR_'))).toBe(false);
  });

  it('a misread with low confidence: OCR_UNCERTAIN naming page and cell, never the rule’s error', () => {
    const doc = asOcr(text);
    const cell = newReceived(doc)[1];
    if (!cell?.ocr) throw new Error('no cell');
    cell.text = '7';
    cell.ocr.confidence = OCR_CONFIDENT - 0.3;
    const record = check(doc);
    expect(ReportRecord.parse(record)).toEqual(record);
    const codes = record.issues.map((i) => i.code);
    expect(codes).not.toContain('REQUESTS_ROW_TOTAL');
    expect(codes).not.toContain('REQUESTS_BALANCE');
    const doubts = record.issues.filter((i) => i.code === 'OCR_UNCERTAIN');
    expect(doubts.length).toBeGreaterThanOrEqual(2);
    for (const d of doubts) {
      expect(d.severity).toBe('warning');
      expect(d.cells).toEqual([{ row: 'newReceived', column: 'naturalPerson', page: 2 }]);
      expect(d.message).toContain('第2页');
      expect(d.message).toContain('读作"7"');
    }
    expect(record.status).toBe('VALID');
    expect(record.source.ocr?.doubtful.filter((d) => d.table !== 'proactive')).toEqual([
      expect.objectContaining({
        table: 'requests',
        row: 'newReceived',
        column: 'naturalPerson',
        page: 2,
        text: '7',
      }),
    ]);
    // The notice and the report view name the cell.
    const notice = notificationFor({ record, revision: 1, reevaluatedBecause: null } as never);
    expect(notice.message).toContain('识别把握不大的单元格');
    expect(notice.message).toContain('newReceived·naturalPerson');
    const html = render(record, pageVocabulary());
    const marked = viewCells(html).filter((c) => c.classes.includes('rv-ocr-doubt'));
    expect(marked.map((c) => `${c.row} ${c.column}`)).toEqual(['newReceived naturalPerson']);
    expect(html).toContain('经文字识别（OCR）读取');
  });

  it('the same misread with high confidence stays the rules’ own errors', () => {
    const doc = asOcr(text);
    const cell = newReceived(doc)[1];
    if (!cell) throw new Error('no cell');
    cell.text = '7';
    const record = check(doc);
    const codes = record.issues.map((i) => i.code);
    expect(codes).toContain('REQUESTS_ROW_TOTAL');
    expect(codes).not.toContain('OCR_UNCERTAIN');
    expect(record.status).toBe('INVALID');
  });

  it('a failure the doubtful cell cannot explain stays an error', () => {
    const doc = asOcr(text);
    const cells = newReceived(doc);
    const doubtful = cells[1];
    const confident = cells[2];
    if (!doubtful?.ocr || !confident) throw new Error('no cell');
    // Confident cells alone already exceed the total: no value of the doubtful cell can mend the row.
    confident.text = '3';
    doubtful.ocr.confidence = 0.4;
    const record = check(doc);
    const row = record.issues.find((i) => i.code === 'REQUESTS_ROW_TOTAL' && i.row === 'newReceived');
    expect(row?.severity).toBe('error');
  });

  it('a doubtful cell that reads as no number is OCR_UNCERTAIN, not CELL_INVALID', () => {
    const doc = asOcr(text);
    const cell = newReceived(doc)[3];
    if (!cell?.ocr) throw new Error('no cell');
    cell.text = '0.5';
    cell.ocr.confidence = 0.5;
    const record = check(doc);
    expect(record.issues.filter((i) => i.code === 'CELL_INVALID')).toEqual([]);
    expect(record.issues.some((i) => i.code === 'OCR_UNCERTAIN' && i.column === 'research')).toBe(true);
  });

  it('junk read in a number cell ("0"", not a number at all) keeps its reading: OCR_UNCERTAIN, listed', () => {
    const doc = asOcr(text);
    const cell = newReceived(doc)[2];
    if (!cell?.ocr) throw new Error('no cell');
    cell.text = '0"';
    cell.ocr.confidence = 0.5;
    const record = check(doc);
    expect(record.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(record.issues.some((i) => i.code === 'OCR_UNCERTAIN' && i.column === 'commercial')).toBe(true);
    expect(record.source.ocr?.doubtful.filter((d) => d.table !== 'proactive')).toEqual([
      expect.objectContaining({ row: 'newReceived', column: 'commercial', text: '0"' }),
    ]);
  });

  it('a row lost on a scan is OCR_UNCERTAIN with its page, its cells listed; on a text PDF ROW_MISSING', () => {
    const drop = (doc: ExtractedDocument) => {
      for (const page of doc.pages)
        page.lines = page.lines.filter((l) => !l.cells[0]?.text.startsWith('一、本年新收'));
      return doc;
    };
    const scan = check(drop(asOcr(text)));
    expect(ReportRecord.parse(scan)).toEqual(scan);
    expect(scan.issues.filter((i) => i.code === 'ROW_MISSING' && i.table === 'requests')).toEqual([]);
    const lost = scan.issues.find((i) => i.code === 'OCR_UNCERTAIN' && i.row === 'newReceived');
    expect(lost).toMatchObject({ severity: 'warning', cells: [{ row: 'newReceived', page: 2 }] });
    expect(lost?.message).toContain('第2页');
    const listed = scan.source.ocr?.doubtful.filter((d) => d.row === 'newReceived') ?? [];
    expect(listed.map((d) => d.column)).toEqual([...REQUEST_COLUMNS]);
    expect(listed.every((d) => d.page === 2 && d.confidence === 0 && d.text === '')).toBe(true);
    const typed = check(drop(structuredClone(text)));
    expect(typed.issues.find((i) => i.code === 'ROW_MISSING' && i.row === 'newReceived')?.severity).toBe(
      'error',
    );
  });
});
