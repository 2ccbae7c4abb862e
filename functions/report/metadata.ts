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

const ORG_SUFFIX =
  /(?:人民政府|政府办公室|办公室|办公厅|办事处|委员会|管理局|管理委员会|局|厅|委|中心|街道|镇|乡|政府|院|署|所|站|馆|队|会)$/;
const TITLE = /(?:政府信息公开|政务信息公开|政务公开).{0,6}年度报告|年度报告$/;
const DOCUMENT_NUMBER = /[\u4e00-\u9fa5]{1,12}[〔[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号/;
const DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;

function isOrgName(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  return t.length >= 2 && t.length <= 40 && ORG_SUFFIX.test(t) && !/[，。；：,;:]/.test(t);
}

function yearIn(text: string): number | null {
  const m = /(\d{4})\s*年/.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

function isoDate(m: RegExpExecArray): string {
  const [, y, mo, d] = m;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function readMetadata(lines: readonly DocLine[], sections: readonly FoundSection[]): Metadata {
  const firstSection = Math.min(...sections.map((s) => s.line), lines.length);
  const head = lines.slice(0, Math.min(firstSection, 12));

  let title: string | null = null;
  let agency: string | null = null;
  const titleIndex = head.findIndex((l) => TITLE.test(l.norm) && l.norm.length <= 60);
  if (titleIndex >= 0) {
    const line = head[titleIndex];
    title = (line?.text ?? '').replace(/^#+\s*/, '').trim();
    const before = title.replace(/\s+/g, '').split(/\d{4}年/)[0] ?? '';
    if (isOrgName(before)) agency = before;
    else {
      // "洪泽区人民政府" on one line, "2023 年政府信息公开工作年度报告" on the next.
      const previous = head[titleIndex - 1]?.text.replace(/\s+/g, '') ?? '';
      if (before === '' && isOrgName(previous)) {
        agency = previous;
        title = `${previous}${title}`;
      }
    }
  }

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
    const m = /\d{4}年(?:度)?[,，]?([\u4e00-\u9fa5]{2,30}?(?:人民政府|办事处|委员会|局|政府))/.exec(prologue);
    // "我街道没有受理政府…" is a sentence, not a name.
    if (m?.[1] !== undefined && isOrgName(m[1]) && !/^[我本]|没有|未|受理|认真/.test(m[1])) agency = m[1];
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
