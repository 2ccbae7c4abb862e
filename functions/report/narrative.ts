import type { DocLine } from './lines.ts';
import { normalizeProse } from './normalize.ts';

/** Counts the narrative states about requests ("共收到政府信息公开申请44件，上年结转2件，结转下年度3件"). */
export interface NarrativeCounts {
  received: number | null;
  carriedFromLastYear: number | null;
  carriedToNextYear: number | null;
}

function first(text: string, pattern: RegExp, reject?: RegExp): number | null {
  for (const m of text.matchAll(pattern)) {
    if (reject?.test(m[0])) continue;
    const n = m.at(-1);
    if (n !== undefined) return Number(n);
  }
  return null;
}

/**
 * Reads the request counts a narrative states. Sentences about 行政复议/诉讼 or 信访 also say 收到…申请N件
 * and are not about disclosure requests, so they are skipped.
 */
export function narrativeCounts(lines: readonly DocLine[], year: number | null): NarrativeCounts {
  const text = normalizeProse(lines.map((l) => l.text).join(''));
  const nextYear = year === null ? '\\d{4}' : String(year + 1);
  return {
    received: first(
      text,
      /(?:收到|受理|新收|接收)[^。；;，,]{0,18}?(?:申请|信件|申请件)(?:共计|共)?(\d+)件/g,
      /复议|诉讼|信访|投诉|举报/,
    ),
    carriedFromLastYear: first(text, /上(?:一)?年(?:度)?结转[^。；;，,]{0,10}?(\d+)件/g),
    carriedToNextYear: first(
      text,
      new RegExp(
        `结转(?:至|到)?(?:下(?:一)?年(?:度)?|${nextYear}年(?:度)?)(?:继续办理)?(?:的)?(?:申请)?(\\d+)件`,
        'g',
      ),
    ),
  };
}
