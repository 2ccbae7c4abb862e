import { agencyAtStart, agencyFromTitlePrefix, isOrgName } from './agency.ts';
import type { DocLine } from './lines.ts';
import { normalizeProse } from './normalize.ts';
import type { FoundSection } from './sections.ts';

export interface Metadata {
  /** The document title as printed, or null when the report has none. */
  title: string | null;
  agency: string | null;
  /** The reporting year: statistical period first, then title, then the narrative. */
  year: number | null;
  titleYear: number | null;
  periodYear: number | null;
  /** The year section 1's sentences open with most often ("2023年，…"). */
  narrativeYear: number | null;
  documentNumber: string | null;
  /** ISO date (YYYY-MM-DD) printed under the signature or in a 发布日期 line. */
  publishedOn: string | null;
}

/**
 * A title ends its report name like this (…工作年度报告, …年度政府信息公开工作报告, …政府信息公开年报);
 * 年度报告 alone when a long name pushed the rest up a line.
 */
const TITLE =
  /(?:政府信息公开|政务信息公开|政务公开).{0,6}年度报告|年度(?:政府信息公开|政务信息公开|政务公开)(?:工作)?报告|(?:政府信息公开|政务信息公开|政务公开)(?:工作)?年报|年度报告$/;
/**
 * A portal's lines around the title: its toolbar, breadcrumb and the page's facts (发布日期 2024-01-20 点击数
 * 365). Never part of a title, so never glued into the agency's name.
 */
const PORTAL_LINE =
  /登录|注册|欢迎访问|无障碍|长者模式|字[号体]|点击(?:数|量|率)|浏览(?:次数|量)|阅读(?:次数|量)|访问量|发布(?:日期|时间|机构)|来源[:：]|信息来源|当前位置|您的位置|所在位置|首页\s*[>»]|[>»]{1,2}|\d{4}-\d{1,2}-\d{1,2}|分享|打印|收藏/;
const DOCUMENT_NUMBER = /[\u4e00-\u9fa5]{1,12}[〔[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号/;
const DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
/** A title spans at most this many printed lines (agency, year and name wrapped at any character). */
const TITLE_LINES = 3;
/** A name that says where it is (市, 区, 县, 国家…) is whole; one that does not may have wrapped. */
const NAMES_ITS_PLACE = /[省市区县州盟旗乡镇]|国家|中央|国务院/;

function yearIn(text: string): number | null {
  const m = /(\d{4})\s*年/.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

function isoDate(m: RegExpExecArray): string {
  const [, y, mo, d] = m;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Lines that can be part of a title: short, not a table row, not a sentence, not a document number. */
function titlePart(line: DocLine): boolean {
  return (
    !line.table &&
    !PORTAL_LINE.test(line.text) &&
    line.norm.length <= 60 &&
    !/[，。；《]/.test(line.norm) &&
    !(DOCUMENT_NUMBER.test(line.norm) && line.norm.replace(DOCUMENT_NUMBER, '').length <= 2)
  );
}

interface Title {
  title: string;
  agency: string | null;
}

/** The joined lines as a title, or null when they do not end a report name or open with something else. */
function asTitle(parts: readonly DocLine[]): Title | null {
  const text = parts
    .map((p) => p.text.replace(/^#+\s*/, ''))
    .join('')
    .replace(/\s+|\*\*|__/g, '');
  if (!TITLE.test(text)) return null;
  const prefix = text.split(/\d{4}年/)[0] ?? '';
  if (prefix === text) return null;
  const agency = agencyFromTitlePrefix(prefix);
  if (prefix !== '' && agency === null) return null;
  return { title: text.replace(/^(?:标题|题目)[:：]/, ''), agency };
}

/**
 * The title read whole: a long agency name pushes its end onto the next line (`…年度报` / `告`), or the
 * agency stands on a line of its own above `2023年政府信息公开工作年度报告`. The first line that ends a
 * report name closes the title; the longest run of up to three lines ending there that reads as a title
 * is the title, so a name wrapped after any character is read whole. It must open with the year or an
 * agency's name, so a page header above it is not taken in, and a letterhead repeating the name the title
 * opens with is not doubled. Document number lines between the parts are skipped.
 */
function findTitle(head: readonly DocLine[]): Title | null {
  const parts = head.filter(titlePart);
  const compact = (line: DocLine | undefined) => (line?.text ?? '').replace(/^#+\s*|\s+/g, '');
  for (let end = 0; end < parts.length; end++) {
    let best: Title | null = null;
    for (let start = end; start > end - TITLE_LINES && start >= 0; start--) {
      const below = parts
        .slice(start + 1, end + 1)
        .map(compact)
        .join('');
      const above = compact(parts[start]);
      if (start < end && below.startsWith(above)) break;
      // A site's or parent body's name above a title that already names its agency is not part of it;
      // a name wrapped mid-word (上海市人民政府 / 办公厅2021年…) still is.
      if (start < end && best?.agency && isOrgName(above) && NAMES_ITS_PLACE.test(best.agency)) break;
      best = asTitle(parts.slice(start, end + 1)) ?? best;
    }
    if (best !== null) return best;
  }
  return null;
}

export function readMetadata(lines: readonly DocLine[], sections: readonly FoundSection[]): Metadata {
  const firstSection = Math.min(...sections.map((s) => s.line), lines.length);
  const head = lines.slice(0, Math.min(firstSection, 12));

  const found = findTitle(head);
  const title = found?.title ?? null;
  let agency = found?.agency ?? null;

  const tail = lines.slice(Math.max(0, lines.length - 8));
  let publishedOn: string | null = null;
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i];
    const m = line === undefined ? null : DATE.exec(line.text);
    if (line !== undefined && m !== null && line.norm.length <= 14) {
      publishedOn = isoDate(m);
      const signer = tail[i - 1]?.text.replace(/\s+/g, '') ?? '';
      if (agency === null && isOrgName(signer)) agency = signer;
      break;
    }
  }
  if (publishedOn === null) {
    const published = lines.slice(0, 15).find((l) => /发布(?:日期|时间)/.test(l.norm));
    const m = published === undefined ? null : DATE.exec(published.text);
    if (m !== null) publishedOn = isoDate(m);
  }
  if (agency === null) {
    const first = lines[0]?.text.replace(/\s+/g, '') ?? '';
    if (firstSection > 0 && isOrgName(first)) agency = first;
  }

  const section1 = sections.find((s) => s.number === 1);
  const prologue = normalizeProse(
    lines
      .slice(0, section1 === undefined ? Math.min(lines.length, 20) : section1.end)
      .map((l) => l.text)
      .join(''),
  );
  if (agency === null) {
    // "2024年，卫东区光华路街道办事处积极推进…": the body names itself in its first sentence.
    const m = /\d{4}年(?:度)?[,，]?([\u4e00-\u9fa5]{2,40})/.exec(prologue);
    if (m?.[1] !== undefined) agency = agencyAtStart(m[1]);
  }

  const periodMatch =
    /统计(?:期限|时限|区间|期间|时间)[^。]{0,8}?(\d{4})年(?:1月1日|度)/.exec(prologue) ??
    /(\d{4})年1月1日(?:起)?(?:至|到|-|—)(?:\1年)?12月31日/.exec(prologue);
  const periodYear = periodMatch?.[1] === undefined ? null : Number(periodMatch[1]);
  const titleYear = title === null ? null : yearIn(title);

  let narrativeYear: number | null = null;
  if (section1 !== undefined) {
    const body = normalizeProse(
      lines
        .slice(section1.line + 1, section1.end)
        .map((l) => l.text)
        .join(''),
    ).replace(/《[^》]*》/g, '');
    const counts = new Map<number, number>();
    for (const m of body.matchAll(
      /(?:^|[。；;!！])(?:\([一二三四五六七八九十]\)[^。]{0,12}?)?(\d{4})年(?:度)?(?:[,，]|以来|全年|共)/g,
    )) {
      const y = Number(m[1]);
      counts.set(y, (counts.get(y) ?? 0) + 1);
    }
    let best = 0;
    for (const [y, n] of counts) if (n > best) [narrativeYear, best] = [y, n];
  }

  const documentNumber =
    lines
      .slice(0, Math.min(firstSection, 12))
      .map((l) => DOCUMENT_NUMBER.exec(l.text)?.[0]?.replace(/\s+/g, '') ?? null)
      .find((n) => n !== null) ?? null;

  return {
    title,
    agency,
    year: periodYear ?? titleYear ?? narrativeYear,
    titleYear,
    periodYear,
    narrativeYear,
    documentNumber,
    publishedOn,
  };
}
