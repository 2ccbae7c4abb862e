import type { DocLine } from './lines.ts';
import { SECTIONS, type SectionNumber } from './template.ts';

/** Where a section heading was found. `end` is the index of the first line after the section. */
export interface FoundSection {
  number: SectionNumber;
  title: string;
  line: number;
  end: number;
}

const NUMBERING =
  '(?:第[一二三四五六]部分[、.,:]?|[一二三四五六][、.,:]?|[1-6][、.,:]|\\([一二三四五六]\\)|)';
/** Heading keys: what is left of a title once its numbering, spaces and punctuation variants are ignored. */
const HEADINGS: Record<SectionNumber, RegExp> = {
  1: new RegExp(`^${NUMBERING}总体情况[。.]?$`),
  2: new RegExp(`^${NUMBERING}主动公开政府信息(?:的)?情况[。.]?$`),
  3: new RegExp(`^${NUMBERING}收到和处理政府信息公开申请(?:的)?情况[。.]?$`),
  4: new RegExp(`^${NUMBERING}政府信息公开行政复议[、,]?(?:和|及)?行政诉讼(?:的)?情况[。.]?$`),
  5: new RegExp(`^${NUMBERING}存在的?主要问题(?:及|和)(?:其)?改进(?:措施|情况)?[。.]?$`),
  6: new RegExp(`^${NUMBERING}其他需要报告的事项[。.]?$`),
};

/**
 * Finds the six section headings. A heading is a line that is nothing but a title (any numbering, spaces
 * inside, markdown marks, 申报 for 申请); table rows never qualify, so 四、结转下年度继续办理 and a
 * stray 三、 from a vertical label cannot start a section. When a title occurs twice, the first one after
 * the previous section wins.
 */
export function findSections(lines: readonly DocLine[]): FoundSection[] {
  const candidates = new Map<SectionNumber, number[]>();
  for (const line of lines) {
    if (line.cells.length > 2) continue;
    for (const { number } of SECTIONS) {
      if (HEADINGS[number].test(line.norm)) {
        const list = candidates.get(number) ?? [];
        list.push(line.index);
        candidates.set(number, list);
      }
    }
  }
  const found: FoundSection[] = [];
  let after = -1;
  for (const { number } of SECTIONS) {
    const list = candidates.get(number);
    if (list === undefined) continue;
    const index = list.find((i) => i > after) ?? list[0];
    if (index === undefined) continue;
    found.push({ number, title: lines[index]?.text ?? '', line: index, end: lines.length });
    after = Math.max(after, index);
  }
  // Each section ends where the next heading in document order begins.
  const byPosition = [...found].sort((a, b) => a.line - b.line);
  byPosition.forEach((s, i) => {
    s.end = byPosition[i + 1]?.line ?? lines.length;
  });
  return found;
}

/** True when the headings found appear in template order. */
export function inTemplateOrder(found: readonly FoundSection[]): boolean {
  for (let i = 1; i < found.length; i++) if ((found[i]?.line ?? 0) < (found[i - 1]?.line ?? 0)) return false;
  return true;
}
