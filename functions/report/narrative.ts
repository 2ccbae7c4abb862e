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

/** What a narrative count is about: a table 四 total, or a table 二 item. */
export type ClaimSubject =
  | 'review'
  | 'litigation'
  | 'regulations.issued'
  | 'regulations.repealed'
  | 'regulations.inForce'
  | 'normativeDocuments.issued'
  | 'normativeDocuments.repealed'
  | 'normativeDocuments.inForce'
  | 'licensing'
  | 'penalties'
  | 'coercion';

export interface NarrativeClaim {
  subject: ClaimSubject;
  value: number;
  /** The clause the count was read from, for the message. */
  clause: string;
}

const N = '(?:共计|共|合计|总计)?(?:数量)?(?:为|是)?(\\d+)';
/**
 * The phrasings read, one per subject. Each must name the table's item itself: 行政复议 right before the
 * count (收到/被申请行政复议(申请|案件)N件), 行政诉讼 the same; 制发/印发/出台/制定 + 规范性文件/规章 N件 for 本年制发,
 * 废止 … for 本年废止, 现行有效 … for 现行有效件数; 行政许可/处罚/强制 + (处理)决定 N件 for 本年处理决定数量.
 * 公开行政许可信息N条 and the like count published items, not decisions, and are not read.
 */
const CLAIM_PATTERNS: ReadonlyArray<{ subject: ClaimSubject; pattern: RegExp; reject?: RegExp }> = [
  { subject: 'review', pattern: new RegExp(`行政复议(?:申请|案件)?${N}(?:件|起|宗)`) },
  {
    subject: 'litigation',
    pattern: new RegExp(`行政诉讼(?:案件)?${N}(?:件|起|宗)`),
    // Only one of the two litigation groups: not the total the rule compares with.
    reject: /复议后|直接起诉|未经复议|经复议/,
  },
  ...(['regulations', 'normativeDocuments'] as const).flatMap((row) => {
    const noun = row === 'regulations' ? '规章(?!制度)' : '(?:行政)?规范性文件';
    return [
      {
        subject: `${row}.issued` as const,
        pattern: new RegExp(`(?:制发|印发|出台|制定)(?:的)?${noun}${N}(?:件|份|个)`),
      },
      { subject: `${row}.repealed` as const, pattern: new RegExp(`废止(?:的)?${noun}${N}(?:件|份|个)`) },
      { subject: `${row}.inForce` as const, pattern: new RegExp(`现行有效(?:的)?${noun}${N}(?:件|份|个)`) },
    ];
  }),
  { subject: 'licensing', pattern: new RegExp(`行政许可(?:处理)?决定${N}(?:件|个|项)`) },
  { subject: 'penalties', pattern: new RegExp(`行政处罚(?:处理)?决定${N}(?:件|个|项)`) },
  { subject: 'coercion', pattern: new RegExp(`行政强制(?:处理)?决定${N}(?:件|个|项)`) },
];

/**
 * A sentence that speaks of something other than this body's reporting year: another area or level
 * (全市, 各部门), a running total (累计, 以来, 历年), a comparison (同比, 较上年, 增长), another year.
 */
const OTHER_SCOPE =
  /全(?:省|市|区|县|州|盟|旗|镇|乡|系统)|各级|各部门|各单位|各乡镇|各街道|下属|所属|系统内|累计|以来|近[一二两三四五十\d]*年|历年|同比|环比|较上|较去|比上年|上一?年|去年|增长|下降|减少|增加/;
const DISCLOSURE_CONTEXT = /信息公开|公开申请|依申请|政府信息/;

/**
 * The table counts a narrative states beyond requests, read with precision before recall: a sentence in
 * another scope is skipped whole, 行政复议/诉讼 counts only in a sentence about disclosure (or in section 四,
 * `disclosureContext` true), and a subject stated twice with different numbers is not read at all.
 */
export function narrativeClaims(
  text: string,
  year: number | null,
  disclosureContext = false,
): NarrativeClaim[] {
  const found = new Map<ClaimSubject, NarrativeClaim | null>();
  for (const sentence of normalizeProse(text).split(/[。；;！!？?\n]/)) {
    if (OTHER_SCOPE.test(sentence)) continue;
    const years = [...sentence.matchAll(/(\d{4})年/g)].map((m) => Number(m[1]));
    if (year !== null && years.some((y) => y !== year)) continue;
    const aboutDisclosure = disclosureContext || DISCLOSURE_CONTEXT.test(sentence);
    for (const clause of sentence.split(/[，,]/)) {
      for (const { subject, pattern, reject } of CLAIM_PATTERNS) {
        if ((subject === 'review' || subject === 'litigation') && !aboutDisclosure) continue;
        const m = pattern.exec(clause);
        if (m?.[1] === undefined || reject?.test(clause)) continue;
        const value = Number(m[1]);
        const before = found.get(subject);
        if (before === undefined) found.set(subject, { subject, value, clause });
        else if (before !== null && before.value !== value) found.set(subject, null);
      }
    }
  }
  return [...found.values()].filter((c): c is NarrativeClaim => c !== null);
}
