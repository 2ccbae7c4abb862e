import { normalizeProse } from '../normalize.ts';
import type { ParsedReport } from '../parse.ts';
import type { Issue } from '../record.ts';
import type { SectionNumber } from '../template.ts';

/** A finding before its severity is attached from the code's entry in the catalogue. */
export type Finding = Omit<Issue, 'severity'>;

/** Lines after the last section that are not the section's content: the signature, its date, page chrome. */
const DATE_LINE =
  /^(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}[-./]\d{1,2}[-./]\d{1,2}|[〇零一二三四五六七八九]{4}年[〇零一二三四五六七八九十]{1,2}月[〇零一二三四五六七八九十]{1,3}日)$/;
const CHROME_LINE =
  /^(?:字[体号]:?|打印(?:本页)?|关闭(?:窗口)?|分享(?:到)?|收藏|扫一扫|返回顶部|[大中小【】[\]|])+$/;
/** A signature line: a short name of a body, no sentence punctuation. */
const SIGNATURE_LINE =
  /^[\u4e00-\u9fff（）()]{2,30}(?:人民政府|办公室|办公厅|委员会|局|厅|处|街道办事处|办事处|中心|管委会|委|院|所|部|署)$/;

function isTrailer(norm: string): boolean {
  return DATE_LINE.test(norm) || CHROME_LINE.test(norm) || SIGNATURE_LINE.test(norm);
}

/**
 * The prose under a section heading, normalised for sentence patterns (half-width, no spaces or markdown):
 * table lines left out, and for the last section the trailing signature, date and web-page chrome.
 * null when the heading was not found.
 */
export function sectionProse(report: ParsedReport, number: SectionNumber): string | null {
  const s = report.sections.find((x) => x.number === number);
  if (s === undefined) return null;
  const lines = report.lines.slice(s.line + 1, s.end).filter((l) => !l.table || l.cells.length <= 1);
  const texts = lines.map((l) => normalizeProse(l.text)).filter((t) => t !== '');
  while (texts.length > 0 && isTrailer(texts.at(-1) ?? '')) texts.pop();
  return texts.join('');
}
