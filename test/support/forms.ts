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
