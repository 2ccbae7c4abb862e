import { COMPARABLE_TEXT_MAX, type ReportRecord } from '../record.ts';
import { sectionName } from '../template.ts';
import type { Finding } from './section-text.ts';

/** The narrative sections compared across years: 一 (总体情况) and 五 (问题及改进). 六 is short by design. */
export const COMPARED_SECTIONS = [1, 5] as const;
export const REPEATED_THRESHOLD = 0.85;
/** Below this many characters a section is too short to call copied (SECTION_EMPTY looks at those). */
export const MIN_COMPARED_CHARS = 100;

/**
 * A section's prose as it is compared: years and every other number made 0 (a copy that only changed
 * the year is still a copy), punctuation dropped (half/full width, commas moved), at most
 * COMPARABLE_TEXT_MAX characters so that the record stays small. Input is normalizeProse's output.
 */
export function comparableText(prose: string): string {
  return prose
    .replace(/[〇零一二三四五六七八九]{4}年/g, '0年')
    .replace(/\d+(?:\.\d+)?/g, '0')
    .replace(/[\p{P}\p{S}]/gu, '')
    .slice(0, COMPARABLE_TEXT_MAX);
}

/** The set of a text's character bigrams, each pair of UTF-16 units packed into one number. */
function bigrams(text: string): Set<number> {
  const set = new Set<number>();
  for (let i = 0; i + 1 < text.length; i++) set.add(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1));
  return set;
}

/** Jaccard similarity of the two texts' character-bigram sets: 1 for the same text, near 0 for unrelated. */
export function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}

/**
 * CONTENT_REPEATED: section 一 or 五 of this year's report is (nearly) last year's text. Needs both records'
 * `comparableText`; records stored before it existed are skipped.
 */
export function contentRepeatedIssues(current: ReportRecord, previous: ReportRecord | null): Finding[] {
  if (previous === null) return [];
  const out: Finding[] = [];
  for (const number of COMPARED_SECTIONS) {
    const now = current.sections.find((s) => s.number === number)?.comparableText;
    const before = previous.sections.find((s) => s.number === number)?.comparableText;
    if (now === undefined || before === undefined) continue;
    if (now.length < MIN_COMPARED_CHARS || before.length < MIN_COMPARED_CHARS) continue;
    const score = similarity(now, before);
    if (score < REPEATED_THRESHOLD) continue;
    const percent = Math.floor(score * 100);
    out.push({
      code: 'CONTENT_REPEATED',
      section: number,
      actual: percent,
      message: `${sectionName(number)}与${previous.year ?? '上一'}年度报告的同一部分相似度为${percent}%（不计年份和数字），疑似沿用上年内容，请按本年度实际情况撰写`,
    });
  }
  return out;
}
