import type { Truth } from './fixtures.ts';

/**
 * Re-laying a report in the forms real agencies' pages take (issue 23): the same cells, another layout.
 * Pure functions of the fixtures' own text: tab-separated TXT (one table row a line, cells split by tabs)
 * in, the new form's text out. scripts/make-form-fixtures.ts writes their output under
 * test/fixtures/forms/ and prints some of it to PDF; the property tests call them directly.
 */

/** The cells of a tab-separated line (a line without a tab is prose: one cell). */
export const cellsOf = (line: string): string[] => line.split('\t').map((c) => c.trim());
const isRow = (line: string) => line.includes('\t');

export type StreamStyle =
  /** Every non-empty cell on a line of its own; blank cells leave nothing (a crawler's get_text). */
  | 'lines'
  /** Every cell a paragraph: an empty line after each. */
  | 'paragraphs'
  /** A lone `|` line opens each row and separates its cells; a blank cell is a `|` line of its own. */
  | 'pipes'
  /** Each cell as `| x |`, a blank cell as `||`, rows padded with `||` to the width of the widest. */
  | 'padded';

export interface StreamOptions {
  style: StreamStyle;
  /** Space out the characters of header cells (自 然 人, 结 果 维 持), as some pages print them. */
  spacedHeaders?: boolean;
}

const HEADER_WORDS =
  /^(?:自然人|法人或其他组织|商业企业|科研机构|社会公益组织|社会组织|法律服务机构|其他|总计|结果维持|结果纠正|其他结果|尚未审结|行政复议|行政诉讼|申请人情况|信息内容|本年制发件数|本年废止件数|现行有效件数|本年处理决定数量)$/;

const spaced = (cell: string) => cell.split('').join(' ');

/**
 * Every table cell on its own line: the tables of a report that a page built from paragraphs (or a
 * crawler saved one text node a line). Prose lines stay as they are.
 */
export function toCellStream(text: string, options: StreamOptions): string {
  const out: string[] = [];
  const width = Math.max(...text.split('\n').map((l) => (isRow(l) ? cellsOf(l).length : 0)));
  for (const line of text.split('\n')) {
    if (!isRow(line)) {
      out.push(line);
      continue;
    }
    const cells = cellsOf(line).map((c) =>
      options.spacedHeaders === true && HEADER_WORDS.test(c) ? spaced(c) : c,
    );
    switch (options.style) {
      case 'lines':
        out.push(...cells.filter((c) => c !== ''));
        break;
      case 'paragraphs':
        for (const c of cells.filter((x) => x !== '')) out.push(c, '');
        break;
      case 'pipes':
        for (const c of cells) out.push('|', ...(c === '' ? [] : [c]));
        break;
      case 'padded':
        out.push(...cells.map((c) => (c === '' ? '||' : `| ${c} |`)));
        for (let i = cells.length; i < width; i++) out.push('||');
        break;
    }
  }
  return out.join('\n');
}

/**
 * One table row a line with its cells separated by a space (a page copied as text) or by nothing (cells
 * run together); blank cells leave nothing. Prose lines stay as they are.
 */
export function toRowLines(text: string, separator: ' ' | ''): string {
  return text
    .split('\n')
    .map((line) =>
      isRow(line)
        ? cellsOf(line)
            .filter((c) => c !== '')
            .join(separator)
        : line,
    )
    .join('\n');
}

/** A report's text as HTML whose table cells are paragraphs (`p`) or blocks (`div`) with no table markup. */
export function toParagraphHtml(text: string, block: 'p' | 'div'): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!isRow(line)) {
      body.push(`<${block}>${esc(line.trim())}</${block}>`);
      continue;
    }
    // An empty cell is an empty block, which a browser shows as nothing (&nbsp; keeps its height).
    for (const c of cellsOf(line)) body.push(`<${block}>${c === '' ? '&nbsp;' : esc(c)}</${block}>`);
  }
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>报告</title></head><body>\n${body.join('\n')}\n</body></html>\n`;
}

/**
 * A report's text as a crawler saves its web page: a header block, the page's navigation, then the
 * whole report on one line, table cells run together (a tab becomes nothing, or a space on the lines
 * `keepSpaces` picks).
 */
export function toCrawledPage(text: string, title: string, keepSpaces: (line: number) => boolean): string {
  const body = text
    .split('\n')
    .map((line, i) => cellsOf(line).join(keepSpaces(i) ? ' ' : ''))
    .join('');
  return [
    `标题: ${title}`,
    '发布时间: 2022-02-08 16:34',
    '栏目: 政府信息公开年报',
    '==================== 正文 ====================',
    `当前位置： 首页政务公开政府信息公开年报 ${title} 来源：本站 微信 微博 文字版 ${body} 附件下载`,
  ].join('\n');
}

/** Display width of a character: CJK and full-width forms take two columns, as a printer sets them. */
const columnsOf = (c: string) =>
  /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d]/.test(c) ? 2 : 1;

/**
 * Hard-wraps every line longer than `width` display columns at the margin, anywhere (inside a word, a
 * number or a heading), as a printout or a paste into a narrow box does.
 */
export function wrapAtMargin(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let current = '';
    let used = 0;
    for (const c of line) {
      const w = columnsOf(c);
      if (used + w > width && current !== '') {
        out.push(current);
        current = '';
        used = 0;
      }
      current += c;
      used += w;
    }
    out.push(current);
  }
  return out.join('\n');
}

/**
 * A text as a page of preformatted text that wraps at the page's margin, as a browser prints a saved
 * page: `page` is the CSS page size (`A5`, `A4 landscape`), `css` more of the <pre>'s style (its font).
 */
export const preHtml = (text: string, page: string, css: string): string =>
  `<!doctype html><meta charset="utf-8"><style>@page { size: ${page}; margin: 12mm }
pre { white-space: pre-wrap; word-wrap: break-word; ${css} }</style><pre>${text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')}</pre>\n`;

/** Portal furniture printed before a report's title, as saved pages carry it. Each a list of lines. */
export const PORTAL_CHROME: readonly (readonly string[])[] = [
  ['登录 注册', '首页 > 政务公开 > 政府信息公开年报', '字号：大 中 小', '发布日期：2024-01-20 点击数：365'],
  [
    '登录|注册|无障碍|长者模式',
    '当前位置：首页 > 信息公开 > 年度报告',
    '发布日期：2024-01-18  浏览次数：1024',
    '【字体：大 中 小】【打印】【关闭】',
  ],
  [
    '您当前的位置：首页 >> 政府信息公开 >> 政府信息公开年报',
    '发布时间：2024-01-25 来源：本网 点击数：87',
    '字号：[ 大 中 小 ]  分享到：',
  ],
  ['欢迎访问 登录 注册', '发布日期：2024-01-22', '点击数：56', '字号 大 中 小'],
];

/** The title wordings real reports use instead of …年政府信息公开工作年度报告. */
export const TITLE_VARIANTS = [
  (agency: string, year: number) => `${agency}${year}年政府信息公开年报`,
  (agency: string, year: number) => `${agency}${year}年度政府信息公开工作报告`,
  (agency: string, year: number) => `${agency}${year}年度政府信息公开工作年度报告`,
  (agency: string, year: number) => `${agency}关于${year}年政府信息公开工作的年度报告`,
] as const;

/** The title's agency-free wording kept, reworded: `…年政府信息公开工作年度报告` → a variant, same year. */
export function titleVariant(title: string, agency: string, variant: number): string {
  const year = Number(/(\d{4})\s*年/.exec(title)?.[1] ?? 0);
  const make = TITLE_VARIANTS[variant % TITLE_VARIANTS.length];
  return make === undefined ? title : make(agency, year);
}

/** An HTML report with portal chrome before its title (one block a line) and its <h2> title reworded. */
export function htmlWithChrome(html: string, chrome: readonly string[], title?: string): string {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const blocks = chrome.map((line, i) => `<div class="portal-${i}">${esc(line)}</div>`).join('\n');
  const withTitle =
    title === undefined ? html : html.replace(/(<h2[^>]*>)[^<]*(<\/h2>)/, `$1${esc(title)}$2`);
  return withTitle.replace(/<body>/, `<body>\n${blocks}`);
}

/** A tab-separated report as a web page with plain tables: each run of rows one <table>, a cell a <td>. */
export function tsvToHtml(text: string): string {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const out: string[] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (isRow(line)) {
      if (!inTable) out.push('<table border="1" cellspacing="0">');
      inTable = true;
      out.push(
        `<tr>${cellsOf(line)
          .map((c) => `<td>${esc(c)}</td>`)
          .join('')}</tr>`,
      );
      continue;
    }
    if (inTable) out.push('</table>');
    inTable = false;
    out.push(/^[一二三四五六]、/.test(line) ? `<h3>${esc(line)}</h3>` : `<p>${esc(line)}</p>`);
  }
  if (inTable) out.push('</table>');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC";font-size:12pt}table{border-collapse:collapse;font-size:9pt}td{border:1px solid #000;padding:2px;text-align:center}</style></head><body>\n${out.join('\n')}\n</body></html>\n`;
}

/** The report's first line, its title, reworded; other lines unchanged. */
export function withTitle(text: string, title: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /年度报告|年报/.test(l) && !isRow(l));
  if (at >= 0) lines[at] = title;
  return lines.join('\n');
}

export function withChromeBefore(text: string, chrome: readonly string[]): string {
  return `${chrome.join('\n')}\n${text}`;
}

/** The table a section holds, by the first and last line of its rows in a tab-separated report. */
const TABLE_SECTION = {
  proactive: { start: /^二、主动公开/, end: /^三、收到和处理/ },
  requests: { start: /^三、收到和处理/, end: /^四、政府信息公开行政复议/ },
  appeals: { start: /^四、政府信息公开行政复议/, end: /^五、存在的主要问题/ },
} as const;
export type TableKey = keyof typeof TABLE_SECTION;

/**
 * The report with one table published as an image: its lines (header and rows) replaced by `replacement`
 * (an image's caption, or nothing).
 */
export function withoutTable(text: string, table: TableKey, replacement: string[] = []): string {
  const { start, end } = TABLE_SECTION[table];
  const lines = text.split('\n');
  const from = lines.findIndex((l) => start.test(l.replace(/^#+\s*/, '')));
  const to = lines.findIndex((l, i) => i > from && end.test(l.replace(/^#+\s*/, '')));
  if (from < 0 || to < 0) throw new Error(`no ${table} table section in the text`);
  const kept = lines.slice(from + 1, to).filter((l) => !isRow(l) && !/^第二十条/.test(l.trim()));
  return [...lines.slice(0, from + 1), ...replacement, ...kept, ...lines.slice(to)].join('\n');
}

/** Request rows start with these labels in a tab-separated report (the table's row lines). */
const REQUEST_ROW_LINE = /(?:申请数量|予以公开|部分公开|^\d\.|^（[三四五六]）|总计|结转下年度)/;

/**
 * The report with the organisation columns of table 三 left blank (only 自然人 and 总计 filled), as many
 * bodies print it: the five cells before each row's total emptied.
 */
export function withBlankOrganisations(text: string): string {
  const { start, end } = TABLE_SECTION.requests;
  let inside = false;
  return text
    .split('\n')
    .map((line) => {
      if (start.test(line)) inside = true;
      else if (end.test(line)) inside = false;
      if (!inside || !isRow(line)) return line;
      const cells = line.split('\t');
      const values = cells.slice(-7);
      if (!REQUEST_ROW_LINE.test(cells[0] ?? '') && !REQUEST_ROW_LINE.test(cells[1] ?? '')) return line;
      if (!values.every((v) => /^\d+$/.test(v.trim()))) return line;
      return [...cells.slice(0, -6), '', '', '', '', '', cells.at(-1)].join('\t');
    })
    .join('\n');
}

/** The same for HTML fixtures: the five organisation cells of each table 三 row emptied. */
export function htmlWithBlankOrganisations(html: string): string {
  return html.replace(/<tr>(.*?)<\/tr>/g, (row, inner: string) => {
    const cells = [...inner.matchAll(/<td[^>]*>(.*?)<\/td>/g)];
    const values = cells.slice(-7).map((m) => m[1] ?? '');
    const label = cells
      .slice(0, -7)
      .map((m) => m[1] ?? '')
      .join('');
    if (cells.length < 8 || !values.every((v) => /^\d+$/.test(v)) || !REQUEST_ROW_LINE.test(label))
      return row;
    let k = 0;
    const first = cells.length - 7;
    return `<tr>${inner.replace(/<td([^>]*)>(.*?)<\/td>/g, (td, attrs: string, content: string) => {
      const i = k++;
      return i > first && i < cells.length - 1 ? `<td${attrs}></td>` : td.replace(content, content);
    })}</tr>`;
  });
}

/** One table 二 cell left blank: 行政规范性文件's 本年废止件数 (HTML or tab-separated text). */
export function withBlankRepealed(textOrHtml: string): string {
  if (textOrHtml.includes('<td')) {
    return textOrHtml.replace(
      /(<tr><td[^>]*>行政规范性文件<\/td><td[^>]*>[^<]*<\/td><td[^>]*>)[^<]*(<\/td>)/,
      '$1$2',
    );
  }
  return textOrHtml.replace(/^(行政规范性文件\t[^\t]*\t)[^\t]*(\t)/m, '$1$2');
}

/**
 * An HTML report with its tables published as images: each chosen table (by its order in the page: 0 is
 * table 二, 1 table 三, 2 table 四) replaced by an <img>, as agencies paste a screenshot of the table.
 */
export function htmlWithTablesAsImages(html: string, tables: readonly number[]): string {
  let k = 0;
  return html.replace(/<table[\s\S]*?<\/table>/g, (table) => {
    const i = k++;
    return tables.includes(i) ? `<p><img src="table-${i + 2}.png" alt="表${i + 2}"></p>` : table;
  });
}

/**
 * The report with its narrative contradicting its tables (a NARRATIVE_MISMATCH a reviewer would flag): the
 * count of requests received raised by `by`, and a sentence on 行政复议 in section 一 stating `review`
 * cases where the table says otherwise. Null when the narrative states no count of requests to change.
 */
export function withNarrativeMismatch(
  text: string,
  by: number,
  review?: number,
  licensing?: number,
): string | null {
  let changed = false;
  let out = text.replace(/(共收到政府信息公开申请)(\d+)(件)/, (_, a: string, n: string, b: string) => {
    changed = true;
    return `${a}${Number(n) + by}${b}`;
  });
  if (review !== undefined) {
    out = out.replace(/^(（五）监督保障情况)$/m, `本年度因政府信息公开被申请行政复议${review}件。\n$1`);
  }
  if (licensing !== undefined) {
    out = out.replace(/^(（二）依申请公开情况)$/m, `本年度作出行政许可决定${licensing}件。\n$1`);
  }
  return changed ? out : null;
}

// ---- Truth files of the re-laid reports: what a reader must read from each form ----------------------

type Expected = Truth['expectedIssues'][number];
const ORGANISATIONS = ['commercial', 'research', 'socialWelfare', 'legalService', 'otherOrg'] as const;
const clone = (t: Truth): Truth => JSON.parse(JSON.stringify(t)) as Truth;

/** Organisation columns of table 三 blank: their cells null, one CELL_MISSING for the run of columns. */
export function truthWithBlankOrganisations(truth: Truth): Truth {
  const t = clone(truth);
  for (const row of Object.values(t.requests)) if (row !== null) for (const c of ORGANISATIONS) row[c] = null;
  t.expectedIssues.push({ code: 'CELL_MISSING', section: 3, table: 'requests', alsoAccepted: [] });
  return t;
}

/** 行政规范性文件's 本年废止件数 blank: that cell null, CELL_MISSING there. */
export function truthWithBlankRepealed(truth: Truth): Truth {
  const t = clone(truth);
  const row = t.proactive?.normativeDocuments;
  if (row !== null && typeof row === 'object' && row !== undefined) row.repealed = null;
  t.expectedIssues.push({
    code: 'CELL_MISSING',
    section: 2,
    row: 'normativeDocuments',
    column: 'repealed',
    alsoAccepted: [],
  });
  return t;
}

const TABLE_SECTIONS = { proactive: 2, requests: 3, appeals: 4 } as const;

/** Every appeals cell unread (the record keeps the groups, with null cells). */
function blankAppeals(t: Truth): void {
  for (const g of Object.keys(t.appeals)) {
    t.appeals[g] = Object.fromEntries(Object.keys(t.appeals[g] ?? {}).map((c) => [c, null]));
  }
}

/** Codes of findings about a table's cells: a table absent from the text can have none of them. */
const CELL_CODES = /^(?:CELL_|REQUESTS_|APPEALS_|ROW_|TABLE_UNREADABLE)/;

/** Tables absent from the text: their numbers unread, one TABLE_MISSING each, their own defects gone. */
export function truthWithoutTables(truth: Truth, tables: readonly TableKey[]): Truth {
  const t = clone(truth);
  const gone = new Set<number>(tables.map((table) => TABLE_SECTIONS[table]));
  t.expectedIssues = t.expectedIssues.filter((e) => !(CELL_CODES.test(e.code) && gone.has(e.section ?? 0)));
  for (const table of tables) {
    if (table === 'proactive')
      t.proactive = Object.fromEntries(Object.keys(t.proactive ?? {}).map((k) => [k, null]));
    if (table === 'requests') for (const key of Object.keys(t.requests)) t.requests[key] = null;
    if (table === 'appeals') blankAppeals(t);
    t.expectedIssues.push({ code: 'TABLE_MISSING', section: TABLE_SECTIONS[table], table, alsoAccepted: [] });
  }
  return t;
}

/**
 * A form that loses blank cells (a cell stream without blank markers, a crawled page): a row or group
 * with a blank cell cannot be placed. Its numbers are unread and the defect is TABLE_UNREADABLE there
 * (CELL_MISSING cannot be told apart any more); the table's arithmetic rules through it are unchecked.
 */
export function truthLosingBlanks(truth: Truth): Truth {
  const t = clone(truth);
  const lossy: Expected[] = [];
  for (const e of t.expectedIssues) {
    if (e.code !== 'CELL_MISSING') {
      lossy.push(e);
      continue;
    }
    const also = [...new Set([...(e.alsoAccepted ?? []), 'CELL_MISSING', 'ROW_RECOVERED'])];
    if (e.group !== undefined || e.section === 4) {
      blankAppeals(t);
      lossy.push({ code: 'TABLE_UNREADABLE', section: 4, alsoAccepted: also });
    } else if (e.row !== undefined) {
      t.requests[e.row] = null;
      lossy.push({ code: 'TABLE_UNREADABLE', section: e.section ?? 3, row: e.row, alsoAccepted: also });
    } else lossy.push(e);
  }
  t.expectedIssues = lossy;
  return t;
}

/** True when the report has a blank cell a lossy form cannot keep. */
export const hasBlankCell = (truth: Truth) => truth.expectedIssues.some((e) => e.code === 'CELL_MISSING');

/** The narrative's count of requests raised (withNarrativeMismatch): NARRATIVE_MISMATCH, a warning, expected. */
export function truthWithNarrativeMismatch(truth: Truth, review: boolean, licensing: boolean): Truth {
  const t = clone(truth);
  t.expectedIssues.push({ code: 'NARRATIVE_MISMATCH', section: 1, row: 'newReceived', alsoAccepted: [] });
  if (review)
    t.expectedIssues.push({ code: 'NARRATIVE_MISMATCH', section: 1, group: 'review', alsoAccepted: [] });
  if (licensing)
    t.expectedIssues.push({ code: 'NARRATIVE_MISMATCH', section: 1, row: 'licensing', alsoAccepted: [] });
  return t;
}

// ---- The 2019 template ---------------------------------------------------------------------------------

const count = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Table 二 on the 2019 template from a 2021 report's figures, with the truth it makes. */
function proactive2019Of(truth: Truth): { lines: string[]; values: Record<string, Record<string, number>> } {
  const p = truth.proactive ?? {};
  const docs = (key: string) => {
    const row = (p[key] ?? {}) as Record<string, number | null>;
    return {
      newlyMade: count(row.issued),
      newlyPublished: count(row.issued),
      totalPublished: count(row.inForce),
    };
  };
  const items = (decisions: unknown, previous: number) => ({
    previousYearItems: previous,
    changeThisYear: 0,
    decisions: count(decisions),
  });
  const values = {
    regulations: docs('regulations'),
    normativeDocuments: docs('normativeDocuments'),
    licensing: items(p.licensing, 12),
    otherExternalServices: items(0, 0),
    penalties: items(p.penalties, 30),
    coercion: items(p.coercion, 4),
    fees: { previousYearItems: 2, changeThisYear: 0 },
    centralizedProcurement: { projects: 3, amountTenThousandYuan: 45.6 },
  };
  const row = (name: string, v: Record<string, number>) => [name, ...Object.values(v).map(String)].join('\t');
  const lines = [
    '第二十条第（一）项',
    '信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量',
    row('规章', values.regulations),
    row('规范性文件', values.normativeDocuments),
    '第二十条第（五）项',
    '信息内容\t上一年项目数量\t本年增/减\t处理决定数量',
    row('行政许可', values.licensing),
    row('其他对外管理服务事项', values.otherExternalServices),
    '第二十条第（六）项',
    '信息内容\t上一年项目数量\t本年增/减\t处理决定数量',
    row('行政处罚', values.penalties),
    row('行政强制', values.coercion),
    '第二十条第（八）项',
    '信息内容\t上一年项目数量\t本年增/减',
    row('行政事业性收费', values.fees),
    '第二十条第（九）项',
    '信息内容\t采购项目数量\t采购总金额',
    row('政府集中采购', values.centralizedProcurement),
  ];
  return { lines, values };
}

const OTHER_ROWS = ['otherNoCorrection', 'otherUnpaidFee', 'otherOther'] as const;

/**
 * A 2021-template report re-laid on the 2019 template (国办公开办函〔2019〕60号) for the year `year`: table 二
 * with the 2019 columns, （六）其他处理 as one row. Years in the text move with it (the title's, the
 * period's, the narrative's; the signature date to the next year).
 */
export function toTemplate2019(text: string, truth: Truth, year: number): { text: string; truth: Truth } {
  const { lines: section2, values } = proactive2019Of(truth);
  const out: string[] = [];
  let inSection2 = false;
  for (const line of text
    .replaceAll(String(truth.year + 1), String(year + 1))
    .replaceAll(String(truth.year), String(year))
    .split('\n')) {
    if (/^二、主动公开/.test(line)) {
      out.push(line, ...section2);
      inSection2 = true;
      continue;
    }
    if (/^三、收到和处理/.test(line)) inSection2 = false;
    if (inSection2 && line.trim() !== '') continue;
    const cells = line.split('\t');
    if (/^（六）其他处理/.test(cells[0] ?? '')) {
      const sums = cells.slice(-7).map((_, i) =>
        OTHER_ROWS.reduce((a, key) => {
          const column = ['naturalPerson', ...ORGANISATIONS, 'total'][i] ?? '';
          return a + count(truth.requests[key]?.[column]);
        }, 0),
      );
      out.push(['（六）其他处理', ...sums.map(String)].join('\t'));
      continue;
    }
    if (/^(?:2\.申请人逾期未按收费|3\.其他$)/.test(cells[0] ?? '') && cells.length >= 8) continue;
    out.push(line);
  }
  const t = clone(truth);
  t.year = year;
  t.template = '2019';
  t.proactive = null;
  (t as Truth & { proactive2019?: unknown }).proactive2019 = values;
  const other: Record<string, number | null> = {};
  for (const column of ['naturalPerson', ...ORGANISATIONS, 'total']) {
    other[column] = OTHER_ROWS.reduce((a, key) => a + count(truth.requests[key]?.[column]), 0);
  }
  t.requests.otherTotal2019 = other;
  for (const key of OTHER_ROWS) t.requests[key] = null;
  return { text: out.join('\n'), truth: t };
}
