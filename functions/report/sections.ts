import { type DocLine, docLine } from './lines.ts';
import { toHalfWidth } from './normalize.ts';
import { isSectionNumber, SECTION_NUMERALS, SECTIONS, type SectionNumber } from './template.ts';

/** Where a section heading was found. `end` is the index of the first line after the section. */
export interface FoundSection {
  number: SectionNumber;
  title: string;
  line: number;
  end: number;
  /** The number the heading was printed under (一…六) when it is not the section's own: sections renumbered. */
  printedNumber?: number;
  /** Character offset of the heading inside its line, when it sits inside a paragraph (a crawler's text). */
  offset?: number;
}

/** Any printed section numeral (一 … 八), and those of the template's own six sections (一 … 六). */
const ANY_NUMERAL = `[${SECTION_NUMERALS}]`;
const OWN_NUMERAL = `[${SECTION_NUMERALS.slice(0, SECTIONS.length)}]`;

/** Section number tokens: 一、 第一部分 1、 (a parenthesised （一） is a sub-heading, never a section). */
const NUMBER_TOKEN = new RegExp(
  `^(?:第(${ANY_NUMERAL})部分[、.,:]?|(${ANY_NUMERAL})[、.,:]|([1-${SECTION_NUMERALS.length}])[、.])`,
);
/** A heading's own number inside a line (`一、`, `第一部分、`), anywhere and at the start. */
const INLINE_TOKEN = `第?(${OWN_NUMERAL})(?:部分)?、`;
const LEADING_TOKEN = new RegExp(`^${INLINE_TOKEN}`);
const HAS_INLINE_TOKEN = new RegExp(`${OWN_NUMERAL}(?:部分)?、`);

/** The template titles, exact up to punctuation: enough on their own, even without a number. */
const EXACT: Record<SectionNumber, RegExp> = {
  1: /^总体情况$/,
  2: /^主动公开政府信息(?:的)?情况$/,
  3: /^收到和处理政府信息公开申请(?:的)?情况$/,
  4: /^政府信息公开行政复议[、,]?(?:和|及)?行政诉讼(?:的)?情况$/,
  5: /^存在的?主要问题(?:及|和)(?:其)?改进(?:措施|情况)?$/,
  6: /^其他需要报告的事项$/,
};

/**
 * What a heading of each section is about, once its number is stripped: key words that must all occur
 * (each entry an alternation) and the word it ends on. Real reports reword titles (政务信息公开, extra
 * 工作, missing 情况, 整改措施 for 改进情况) but keep these concepts; table row labels (四、结转下年度继续办理,
 * 三、本年度办理结果, 一、本年新收…申请数量) carry none of them in full.
 */
const CONCEPTS: Record<SectionNumber, { all: RegExp[]; ends: RegExp; not?: RegExp }> = {
  1: { all: [/总体|概述|概况|基本情况/], ends: /(?:情况|概述|概况|工作)$/ },
  2: { all: [/主动公开/, /信息|政务/], ends: /(?:情况|工作|信息)$/, not: /数量|件数/ },
  3: {
    all: [/申请/, /收到|处理|办理|受理|答复/],
    ends: /(?:情况|工作|申请)$/,
    not: /数量|结转|结果|总计|不予|无法|逾期|重复/,
  },
  4: { all: [/复议/, /诉讼/], ends: /(?:情况|诉讼|工作)$/, not: /结果|维持|纠正|起诉|审结/ },
  5: {
    all: [/问题|不足/, /改进|整改|措施|打算|方向|计划|建议|情况/],
    ends: /(?:情况|措施|打算|方向|计划|建议|改进|整改|问题)$/,
  },
  6: { all: [/其他|其它/, /报告|事项|说明/], ends: /(?:事项|情况|说明|报告)$/, not: /处理|结果/ },
};

const MAX_TITLE = 30;
/** What may follow a heading inside a paragraph: a break, a number, a bracket, or the table that starts it. */
const AFTER_INLINE = /^(?:$|[\s\d(（。:：;；]|第二十条|信息内容|申请人情况|行政复议|一是|本年|全年|今年|我)/;
/** What may precede a heading inside a paragraph: a sentence end, a break, or the last number of a table. */
const BEFORE_INLINE = /[\s。;；!！?？:：)）\d]$/;

function clean(text: string): string {
  return toHalfWidth(text)
    .replace(/\*\*|__/g, '')
    .replace(/^[#\s]+/, '')
    .replace(/申报/g, '申请');
}

/** Every ending a concept allows: a cheap first test for the many prefixes tried inside paragraphs. */
const ANY_ENDING = new RegExp(
  `(?:${Object.values(CONCEPTS)
    .map((c) => c.ends.source.replace(/^\(\?:|\)\$$/g, ''))
    .join('|')})$`,
);

/** The section a title body (number stripped) is about, or null. */
function conceptOf(body: string): SectionNumber | null {
  const b = body.replace(/[。.:：]$/, '');
  if (b.length < 2 || b.length > MAX_TITLE || !ANY_ENDING.test(b)) return null;
  for (const { number } of SECTIONS) {
    const c = CONCEPTS[number];
    if (c.all.every((r) => r.test(b)) && c.ends.test(b) && !(c.not?.test(b) ?? false)) return number;
  }
  return null;
}

function numberOf(m: RegExpExecArray): number {
  const zh = m[1] ?? m[2];
  return zh !== undefined ? SECTION_NUMERALS.indexOf(zh) + 1 : Number(m[3]);
}

interface Candidate {
  number: SectionNumber;
  line: number;
  offset: number;
  title: string;
  printed: number | null;
  /**
   * 3 exact template title, 2 reworded title on its own line, 1 inside a paragraph, LOOSE run into a
   * paragraph's text, 0 under another number.
   */
  tier: number;
}

/** A line that is nothing but a heading. */
function wholeLine(line: DocLine): Candidate | null {
  const text = clean(line.text).replace(/\s+/g, '');
  const m = NUMBER_TOKEN.exec(text);
  const body = (m === null ? text : text.slice(m[0].length)).replace(/[。.:：]$/, '');
  const printed = m === null ? null : numberOf(m);
  const base = { line: line.index, offset: 0, title: line.text.trim(), printed };
  for (const { number } of SECTIONS) {
    if (EXACT[number].test(body) && (printed === null || printed === number))
      return { ...base, number, tier: 3 };
  }
  // A reworded title needs a Chinese numeral: 1、2、 number sub-headings inside the narrative too.
  if (m === null || m[3] !== undefined) return null;
  const number = conceptOf(body);
  if (number === null) return null;
  if (printed === number) return { ...base, number, tier: 2 };
  return printed !== null && printed <= 6 ? { ...base, number, tier: 0 } : null;
}

/**
 * True when the line is a section heading and nothing else (wrapped text never continues onto it). A
 * heading without a number of its own after a line that ends with that section's number (`…四、` /
 * `政府信息公开行政复议、行政诉讼情况`) is that heading wrapped after its number: the text does continue.
 */
export function isHeadingLine(line: DocLine, before = ''): boolean {
  const heading = wholeLine(line);
  if (heading === null) return false;
  if (heading.printed !== null) return true;
  const m = TRAILING_NUMBER.exec(clean(before).replace(/\s+$/, ''));
  return m === null || SECTION_NUMERALS.indexOf(m[1] ?? m[2] ?? '') + 1 !== heading.number;
}
/** A section's number token at the end of a line: `…四、`, `…第四部分`. */
const TRAILING_NUMBER = /(?:第([一二三四五六])部分[、.,:]?|([一二三四五六])[、.,:])$/;

/**
 * The heading that starts at `rest` (its number token stripped), read two ways. Strictly: the shortest
 * body that names the section and is followed by what may follow a heading (AFTER_INLINE). Loosely, for a
 * crawler's paragraph that runs a heading into any text (`…年度报告一、总体情况按照…`): the longest body of
 * ideographs that names the section, whatever follows; such a heading counts only where no better one
 * was found (tier LOOSE).
 */
function bodyAfter(rest: string, printed: number): { body: string; tier: number } | null {
  let loose: string | null = null;
  for (let len = 2; len <= Math.min(MAX_TITLE, rest.length); len++) {
    const body = rest.slice(0, len);
    if (/\s/.test(body)) break;
    if (conceptOf(body) !== printed) continue;
    if (AFTER_INLINE.test(rest.slice(len))) return { body, tier: 1 };
    if (LOOSE_BODY.test(body)) loose = body;
  }
  return loose === null ? null : { body: loose, tier: LOOSE };
}

/** A heading's body inside a crawler's paragraph: ideographs (and the 、 of 行政复议、行政诉讼) only. */
const LOOSE_BODY = /^[\u4e00-\u9fff、]+$/;
/** The tier of a heading found only loosely inside a paragraph: below every other, above a renumbered one. */
const LOOSE = 0.5;

/** Headings inside a paragraph: `…12月31日。一、总体情况 2024年，…`; the number must be the section's own. */
function inline(line: DocLine, out: Candidate[]): void {
  if (!HAS_INLINE_TOKEN.test(line.text)) return;
  const text = toHalfWidth(line.text).replace(/申报/g, '申请');
  const token = new RegExp(INLINE_TOKEN, 'g');
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    if (m.index === 0) continue; // a line that starts with its heading is handled as a whole line too
    const before = text.slice(0, m.index);
    // 十二、 is twelve, 一、二、三 a list: neither starts a section.
    if (/[一二三四五六七八九十、]$/.test(before)) continue;
    const printed = SECTION_NUMERALS.indexOf(m[1] ?? '') + 1;
    if (!isSectionNumber(printed)) continue;
    const found = bodyAfter(text.slice(m.index + m[0].length), printed);
    if (found === null) continue;
    const tier = BEFORE_INLINE.test(before) ? found.tier : LOOSE;
    out.push({
      number: printed,
      line: line.index,
      offset: m.index,
      title: `${m[0]}${found.body}`,
      printed,
      tier,
    });
  }
}

/** A line that starts with a heading and runs on into its text (a crawler's paragraph). */
function leading(line: DocLine): Candidate | null {
  const text = toHalfWidth(line.text).replace(/申报/g, '申请');
  const m = LEADING_TOKEN.exec(text);
  if (m === null) return null;
  const printed = SECTION_NUMERALS.indexOf(m[1] ?? '') + 1;
  if (!isSectionNumber(printed)) return null;
  const rest = text.slice(m[0].length);
  const found = bodyAfter(rest, printed);
  if (found === null || rest.length <= found.body.length) return null;
  return {
    number: printed,
    line: line.index,
    offset: 0,
    title: `${m[0]}${found.body}`,
    printed,
    tier: found.tier,
  };
}

function candidatesOf(lines: readonly DocLine[]): Candidate[] {
  const out: Candidate[] = [];
  lines.forEach((line, i) => {
    // Table rows never qualify, so 四、结转下年度继续办理 cannot start a section.
    if (line.cells.length > 2) return;
    const next = lines[i + 1];
    // A long heading wrapped in a PDF leaves its last characters (况, 情况) on a line of their own.
    const wraps = () =>
      next !== undefined && next.cells.length === 1 && next.norm.length <= 3 && next.page === line.page
        ? wholeLine({ ...line, text: `${line.text}${next.text.trim()}` })
        : null;
    const whole = wholeLine(line) ?? wraps();
    if (whole !== null) out.push(whole);
    else {
      const lead = leading(line);
      if (lead !== null) out.push(lead);
    }
    inline(line, out);
  });
  return out;
}

const position = (c: { line: number; offset?: number }) => c.line * 1e6 + (c.offset ?? 0);

/**
 * Finds the six section headings by meaning: a number token and the section's key concepts within a
 * bounded length, on a line of its own or inside a paragraph. For each section, in template order, the
 * best-tier candidate after the previous section wins; a heading found only under another number is
 * kept with `printedNumber` (reported as SECTION_ORDER, not SECTION_MISSING).
 */
export function findSections(lines: readonly DocLine[]): FoundSection[] {
  const candidates = candidatesOf(lines);
  const found: FoundSection[] = [];
  let after = -1;
  for (const { number } of SECTIONS) {
    const mine = candidates.filter((c) => c.number === number);
    if (mine.length === 0) continue;
    const later = mine.filter((c) => position(c) > after);
    const pool = later.length > 0 ? later : mine;
    const best = Math.max(...pool.map((c) => c.tier));
    const pick = pool.find((c) => c.tier === best);
    if (pick === undefined) continue;
    found.push({
      number,
      title: pick.title,
      line: pick.line,
      end: lines.length,
      ...(pick.printed !== null && pick.printed !== number ? { printedNumber: pick.printed } : {}),
      ...(pick.offset > 0 ? { offset: pick.offset } : {}),
    });
    after = Math.max(after, position(pick));
  }
  // Each section ends where the next heading in document order begins.
  const byPosition = [...found].sort((a, b) => position(a) - position(b));
  byPosition.forEach((s, i) => {
    const next = byPosition[i + 1];
    s.end = next === undefined ? lines.length : next.line === s.line ? next.line + 1 : next.line;
  });
  return found;
}

/**
 * The lines with every heading found inside a paragraph (a crawler's text) put on a line of its own, the
 * paragraph's text before and after it on lines of theirs: then each section's text is the lines after
 * its heading, as in any other report. The same lines when every heading already has its own line.
 */
export function splitAtHeadings(lines: readonly DocLine[], found: readonly FoundSection[]): DocLine[] {
  const cuts = new Map<number, { from: number; to: number }[]>();
  for (const s of found) {
    const line = lines[s.line];
    if (line === undefined || line.cells.length !== 1) continue;
    const from = s.offset ?? 0;
    const to = from + s.title.length;
    if (from === 0 && line.text.slice(to).trim() === '') continue;
    if (toHalfWidth(line.text.slice(from, to)).replace(/申报/g, '申请') !== s.title) continue;
    cuts.set(s.line, [...(cuts.get(s.line) ?? []), { from, to }]);
  }
  if (cuts.size === 0) return [...lines];
  const out: DocLine[] = [];
  lines.forEach((line, i) => {
    const mine = cuts.get(i)?.sort((a, b) => a.from - b.from);
    if (mine === undefined) {
      out.push(line);
      return;
    }
    const cell = line.cells[0];
    const piece = (text: string) => {
      if (text.trim() === '') return;
      out.push(
        docLine({
          page: line.page,
          cells: [{ text: text.trim(), x0: cell?.x0 ?? 0, x1: cell?.x1 ?? 0 }],
          table: false,
        }),
      );
    };
    let cursor = 0;
    for (const { from, to } of mine) {
      if (from < cursor) continue;
      piece(line.text.slice(cursor, from));
      piece(line.text.slice(from, to));
      cursor = to;
    }
    piece(line.text.slice(cursor));
  });
  return out.map((l, index) => ({ ...l, index }));
}

/** True when the headings found appear in template order. */
export function inTemplateOrder(found: readonly FoundSection[]): boolean {
  for (let i = 1; i < found.length; i++) {
    if (position(found[i] ?? { line: 0 }) < position(found[i - 1] ?? { line: 0 })) return false;
  }
  return true;
}

/** Sections printed under another number (二、收到和处理… when section 2 is left out): SECTION_ORDER. */
export function renumberedSections(found: readonly FoundSection[]): FoundSection[] {
  return found.filter((s) => s.printedNumber !== undefined);
}
