import type { OcrSummary } from '../extract/index.ts';
import { severityOf } from './codes.ts';
import { isDoubtful } from './ocr-doubt.ts';
import type { ParsedReport } from './parse.ts';
import type { Issue, OcrDoubt, OcrSource } from './record.ts';
import { isCell, type ParsedCell } from './tables/parsed.ts';
import { APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS, REQUEST_ROW_KEYS } from './template.ts';

/**
 * What a record says about a scanned report (issue 24): `source.ocr` with every table cell read with low
 * confidence, and the OCR_READ warning that tells the supervisor the numbers came from a picture.
 */
function doubtOf(
  cell: ParsedCell,
  place: Omit<OcrDoubt, 'page' | 'box' | 'text' | 'confidence'>,
): OcrDoubt[] {
  if (!isDoubtful(cell) || cell.ocr === undefined) return [];
  const text = cell.state === 'number' ? String(cell.value) : cell.state === 'invalid' ? cell.text : '';
  return [{ ...place, page: cell.ocr.page, box: [...cell.ocr.box], text, confidence: cell.ocr.confidence }];
}

export function doubtfulCells(parsed: ParsedReport): OcrDoubt[] {
  const out: OcrDoubt[] = [];
  for (const [row, value] of Object.entries(parsed.proactive.rows)) {
    if (value === undefined) continue;
    if (isCell(value)) out.push(...doubtOf(value, { table: 'proactive', row }));
    else
      for (const [column, cell] of Object.entries(value))
        out.push(...doubtOf(cell, { table: 'proactive', row, column }));
  }
  for (const row of REQUEST_ROW_KEYS)
    for (const column of REQUEST_COLUMNS)
      out.push(...doubtOf(parsed.requests.rows[row][column], { table: 'requests', row, column }));
  for (const group of APPEAL_GROUPS)
    for (const column of APPEAL_COLUMNS)
      out.push(...doubtOf(parsed.appeals.groups[group][column], { table: 'appeals', group, column }));
  return out;
}

export function ocrSource(summary: OcrSummary, parsed: ParsedReport): OcrSource {
  return { ...summary, pages: [...summary.pages], doubtful: doubtfulCells(parsed) };
}

export function ocrReadIssue(source: OcrSource): Issue {
  const pages = source.pages.length === 1 ? `第${source.pages[0]}页` : `第${source.pages.join('、')}页`;
  const doubt =
    source.doubtful.length === 0
      ? '表格数字均识别清楚'
      : `其中 ${source.doubtful.length} 个表格单元格识别把握不大（${source.doubtful
          .slice(0, 10)
          .map((d) => `第${d.page}页"${d.text}"`)
          .join('、')}${source.doubtful.length > 10 ? '等' : ''}），请对照原件核对`;
  return {
    code: 'OCR_READ',
    severity: severityOf('OCR_READ'),
    section: 0,
    message: `报告为扫描件，${pages}经文字识别（OCR）读取（平均置信度 ${source.meanConfidence.toFixed(2)}）；${doubt}`,
  };
}
