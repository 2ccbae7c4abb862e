import type { CellPlace } from './record.ts';
import type { ParsedCell } from './tables/parsed.ts';

/**
 * Our own misreads are never reported as the agency's mistake (issue 24). A cell read by OCR below this
 * confidence is doubtful: a rule that fails and that some values of its doubtful cells would satisfy is
 * not the rule's error but an OCR_UNCERTAIN warning naming those cells. A rule that fails whatever the
 * doubtful cells say (or fails among confident cells only) stays the rule's own error.
 *
 * The confidence is the recogniser's lowest per-character probability over the digit alphabet
 * (recognizer.ts); measured on the scans (docs/ocr.md), right readings sit at 0.97–1.0 and the misreads
 * seen were all below this.
 */
export const OCR_CONFIDENT = 0.9;

export interface Operand {
  cell: ParsedCell;
  place: CellPlace;
  /** How a clerk names the cell: "一、本年新收…"行"自然人"列. */
  name: string;
}

export function isDoubtful(cell: ParsedCell): boolean {
  return cell.ocr !== undefined && cell.ocr.confidence < OCR_CONFIDENT;
}

const amount = (c: ParsedCell): number => (c.state === 'number' ? c.value : 0);

/**
 * The doubtful operands that could explain a failed `sum(left) = sum(right)`, or null when the failure
 * stands whatever they say. Counts are never negative: doubtful cells only on the left can make the left
 * at most what the confident right is, and the confident rest of the left must not already exceed it.
 */
export function doubtExplains(left: readonly Operand[], right: readonly Operand[]): Operand[] | null {
  const dl = left.filter((o) => isDoubtful(o.cell));
  const dr = right.filter((o) => isDoubtful(o.cell));
  if (dl.length === 0 && dr.length === 0) return null;
  if (dl.length > 0 && dr.length > 0) return [...dl, ...dr];
  const sure = (ops: readonly Operand[]) =>
    ops.filter((o) => !isDoubtful(o.cell)).reduce((s, o) => s + amount(o.cell), 0);
  // Doubtful cells on one side only: they must be able to take up the difference with values ≥ 0.
  const [doubted, other, doubtedSure] = dl.length > 0 ? [dl, right, sure(left)] : [dr, left, sure(right)];
  const otherTotal = other.reduce((s, o) => s + amount(o.cell), 0);
  return otherTotal - doubtedSure >= 0 ? doubted : null;
}

/** "第2页"…"行"…"列（读作 8，置信度 0.62）", for each doubtful cell. */
export function describeDoubt(ops: readonly Operand[]): string {
  return ops
    .map((o) => {
      const read =
        o.cell.state === 'number' ? String(o.cell.value) : o.cell.state === 'invalid' ? o.cell.text : '';
      const page = o.cell.ocr ? `第${o.cell.ocr.page}页` : '';
      if (read === '' && o.cell.state === 'invalid') return `${page}${o.name}（有字迹但未能识别出字符）`;
      return `${page}${o.name}（读作"${read}"，识别置信度 ${o.cell.ocr?.confidence.toFixed(2) ?? '?'}）`;
    })
    .join('、');
}

export function doubtMessage(ruleMessage: string, ops: readonly Operand[]): string {
  return `${ruleMessage}；其中${describeDoubt(ops)}由文字识别（OCR）读出且把握不大，可能是识别有误而非报告有误，请对照原件核对这些单元格`;
}

/** The places of the doubtful operands, for the finding's `cells`. */
export function doubtPlaces(ops: readonly Operand[]): CellPlace[] {
  return ops.map((o) => ({ ...o.place, ...(o.cell.ocr ? { page: o.cell.ocr.page } : {}) }));
}
