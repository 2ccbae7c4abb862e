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

type Place = Omit<OcrDoubt, 'page' | 'box' | 'text' | 'confidence'>;

/** Every cell of the three tables with its place, and whether its row is one the template asks for but
 * the parser did not find. */
function tableCells(parsed: ParsedReport): Array<{ cell: ParsedCell; place: Place; rowMissing: boolean }> {
  const out: Array<{ cell: ParsedCell; place: Place; rowMissing: boolean }> = [];
  const proactiveMissing = new Set<string>(parsed.proactive.missingRows);
  for (const [row, value] of Object.entries(parsed.proactive.rows)) {
    if (value === undefined) continue;
    const rowMissing = proactiveMissing.has(row);
    if (isCell(value)) out.push({ cell: value, place: { table: 'proactive', row }, rowMissing });
    else
      for (const [column, cell] of Object.entries(value))
        out.push({ cell, place: { table: 'proactive', row, column }, rowMissing });
  }
  const requestsMissing = new Set<string>(parsed.requests.missingRows);
  for (const row of REQUEST_ROW_KEYS)
    for (const column of REQUEST_COLUMNS)
      out.push({
        cell: parsed.requests.rows[row][column],
        place: { table: 'requests', row, column },
        rowMissing: requestsMissing.has(row),
      });
  for (const group of APPEAL_GROUPS)
    for (const column of APPEAL_COLUMNS)
      out.push({
        cell: parsed.appeals.groups[group][column],
        place: { table: 'appeals', group, column },
        rowMissing: false,
      });
  return out;
}

/** Where a table was read on a scan: the page most of its OCR'd cells are on, and their box there. */
function tableRegions(cells: ReturnType<typeof tableCells>): Map<string, { page: number; box: number[] }> {
  const regions = new Map<string, { page: number; box: number[] }>();
  for (const table of new Set(cells.map((c) => c.place.table))) {
    const read = cells.flatMap((c) => (c.place.table === table && c.cell.ocr ? [c.cell.ocr] : []));
    const count = new Map<number, number>();
    for (const o of read) count.set(o.page, (count.get(o.page) ?? 0) + 1);
    const page = [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (page === undefined) continue;
    const boxes = read.filter((o) => o.page === page).map((o) => o.box);
    regions.set(table, {
      page,
      box: [
        Math.min(...boxes.map((b) => b[0])),
        Math.min(...boxes.map((b) => b[1])),
        Math.max(...boxes.map((b) => b[2])),
        Math.max(...boxes.map((b) => b[3])),
      ],
    });
  }
  return regions;
}

/**
 * The table cells of a scan the record cannot vouch for: cells read with low confidence, and the cells
 * OCR could not place at all — a row of a table read from a scan that the parser did not find, or cells
 * it could not put in columns. Those have no ink of their own to point at; they point at the table's
 * region on its page, with confidence 0. A cell the scan showed empty is not listed (an agency's blank
 * cell stays CELL_MISSING).
 */
export function doubtfulCells(parsed: ParsedReport): OcrDoubt[] {
  const cells = tableCells(parsed);
  const regions = tableRegions(cells);
  return cells.flatMap(({ cell, place, rowMissing }) => {
    const lost = rowMissing || cell.state === 'unreadable';
    const region = regions.get(place.table);
    if (lost && cell.ocr === undefined && region !== undefined)
      return [{ ...place, page: region.page, box: [...region.box], text: '', confidence: 0 }];
    return doubtOf(cell, place);
  });
}

/** Findings that only say the parser lost a row or a row's columns. */
const LOST_ON_A_SCAN: ReadonlySet<string> = new Set(['ROW_MISSING', 'TABLE_UNREADABLE']);

/**
 * On a table read from a scan, a row the parser did not find or could not put in columns is our misread
 * until a person has looked (a faint ruling line merged two rows, a row ran on to the next page): the
 * finding becomes OCR_UNCERTAIN, a warning at the same place naming the page, never the agency's error.
 */
export function ourMisreads(parsed: ParsedReport, issues: readonly Issue[]): Issue[] {
  const regions = tableRegions(tableCells(parsed));
  return issues.map((i) => {
    const region = i.table === undefined ? undefined : regions.get(i.table);
    // A warning (a left-out proactive row) already asks for a look; only errors are ours to take back.
    if (!LOST_ON_A_SCAN.has(i.code) || i.severity !== 'error' || region === undefined) return i;
    const place = {
      ...(i.row === undefined ? {} : { row: i.row }),
      ...(i.group === undefined ? {} : { group: i.group }),
      ...(i.column === undefined ? {} : { column: i.column }),
      page: region.page,
    };
    return {
      ...i,
      code: 'OCR_UNCERTAIN',
      severity: severityOf('OCR_UNCERTAIN', i.table),
      message: `${i.message}；该表格由文字识别（OCR）从第${region.page}页扫描件读取，可能是识别未能找到或分开该行，而非报告有误，请对照原件核对`,
      cells: [place],
    };
  });
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
          .map(
            (d) => `第${d.page}页${d.confidence === 0 && d.text === '' ? '未读出的单元格' : `"${d.text}"`}`,
          )
          .join('、')}${source.doubtful.length > 10 ? '等' : ''}），请对照原件核对`;
  return {
    code: 'OCR_READ',
    severity: severityOf('OCR_READ'),
    section: 0,
    message: `报告为扫描件，${pages}经文字识别（OCR）读取（平均置信度 ${source.meanConfidence.toFixed(2)}）；${doubt}`,
  };
}
