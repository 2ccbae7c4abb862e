import { type ChildNode, DomHandler, type Element } from 'domhandler';
import { Parser } from 'htmlparser2';
import { isPageChrome } from './chrome.ts';
import { joinFragments, normalizeSpace } from './cjk.ts';
import { ExtractionError } from './errors.ts';
import type { Cell, ExtractedDocument, Line } from './types.ts';

/**
 * HTML (and DOCX, which mammoth turns into HTML): block elements become lines, every table row becomes
 * one line whose cells sit at their grid columns with rowspan/colspan resolved, and page furniture
 * (navigation, scripts, 字体 大 中 小, 打印, 关闭) is dropped.
 */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'button',
  'select',
  'option',
  'input',
  'textarea',
  'iframe',
  'svg',
  'head',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'hr',
  'center',
  'address',
  'figure',
  'figcaption',
  'caption',
  'body',
  'html',
]);

/** Blocks a page may print one table cell in. */
const EMPTY_CELL_BLOCKS = new Set(['p', 'div', 'li', 'dd', 'td']);

const isElement = (node: ChildNode): node is Element =>
  node.type === 'tag' || node.type === 'script' || node.type === 'style';

/** Text of a subtree, block boundaries joined as a wrapped label would be. */
function textOf(node: ChildNode): string {
  if (node.type === 'text') return node.data;
  if (!isElement(node) || SKIPPED.has(node.name)) return '';
  if (node.name === 'br') return '\n';
  let out = '';
  for (const child of node.children) {
    const part = textOf(child);
    out =
      BLOCKS.has(node.name) || (isElement(child) && BLOCKS.has(child.name))
        ? joinFragments(out, part)
        : out + part;
  }
  return out;
}

/** No text, no image and no block inside: what a blank cell printed as a paragraph looks like. */
function isEmptyLeaf(node: Element): boolean {
  const inner = (n: ChildNode): boolean =>
    !isElement(n) ||
    (!BLOCKS.has(n.name) && n.name !== 'img' && n.name !== 'table' && n.children.every(inner));
  return normalizeSpace(textOf(node)) === '' && node.children.every(inner);
}

function cellText(node: Element): string {
  return normalizeSpace(
    textOf(node)
      .split('\n')
      .map((s) => s.trim())
      .reduce(joinFragments, ''),
  );
}

const span = (el: Element, attr: string): number => {
  const n = Number.parseInt(el.attribs[attr] ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 1000) : 1;
};

function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  const visit = (node: Element): void => {
    for (const child of node.children) {
      if (!isElement(child)) continue;
      if (child.name === 'tr') rows.push(child);
      else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') visit(child);
    }
  };
  visit(table);
  return rows;
}

function tableLines(table: Element): Line[] {
  const occupied = new Map<number, Set<number>>();
  const taken = (r: number): Set<number> => {
    let set = occupied.get(r);
    if (!set) {
      set = new Set();
      occupied.set(r, set);
    }
    return set;
  };
  const lines: Line[] = [];
  rowsOf(table).forEach((tr, r) => {
    const cells: Cell[] = [];
    let col = 0;
    for (const td of tr.children) {
      if (!isElement(td) || (td.name !== 'td' && td.name !== 'th')) continue;
      while (taken(r).has(col)) col++;
      const cs = span(td, 'colspan');
      const rs = span(td, 'rowspan');
      for (let dr = 0; dr < rs; dr++) for (let dc = 0; dc < cs; dc++) taken(r + dr).add(col + dc);
      cells.push({ text: cellText(td), x0: col, x1: col + cs });
      col += cs;
    }
    if (cells.some((c) => c.text !== '') && !cells.every((c) => c.text === '' || isPageChrome(c.text))) {
      lines.push({ cells, table: true });
    }
  });
  return lines;
}

/**
 * The deepest element nesting read. Browsers' HTML parsers stop nesting at 512 (Chromium's
 * kMaximumHTMLParserDOMTreeDepth); real reports, mammoth's DOCX output included, stay far below. Deeper
 * is a malformed or hostile file, and the recursive walks below would exhaust the stack on it.
 */
export const MAX_HTML_NESTING = 512;

/**
 * The DOM builder with a depth count: at the first element past the budget it stops the parser, before
 * the parser's own tag stack (whose cost grows with depth) and the recursive walks below get to it.
 */
class NestingBudget extends DomHandler {
  depth = 0;
  tooDeep = false;
  #source: Parser | null = null;

  override onparserinit(parser: Parser): void {
    super.onparserinit(parser);
    this.#source = parser;
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    this.depth++;
    if (this.depth > MAX_HTML_NESTING) {
      this.tooDeep = true;
      this.#source?.pause();
      return;
    }
    super.onopentag(name, attribs);
  }

  override onclosetag(): void {
    this.depth--;
    super.onclosetag();
  }
}

function parseBounded(html: string): ChildNode[] {
  const handler = new NestingBudget();
  const parser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true });
  parser.write(html);
  if (handler.tooDeep) {
    throw new ExtractionError(
      'FILE_CORRUPT',
      `网页（HTML）文件的元素嵌套超过 ${MAX_HTML_NESTING} 层，不是可读的报告网页，无法处理；请另存为正常网页、PDF 或 Word 后重新上传`,
    );
  }
  parser.end();
  return handler.root.children;
}

export function extractHtml(html: string, encoding?: string): ExtractedDocument {
  const roots = parseBounded(html);
  const lines: Line[] = [];
  let buffer = '';
  const flush = (): void => {
    for (const part of buffer.split('\n')) {
      const text = normalizeSpace(part);
      if (text !== '' && !isPageChrome(text)) lines.push({ cells: [{ text, x0: 0, x1: 1 }], table: false });
    }
    buffer = '';
  };
  const walk = (node: ChildNode): void => {
    if (node.type === 'text') {
      buffer += node.data;
      return;
    }
    if (!isElement(node) || SKIPPED.has(node.name)) return;
    if (node.name === 'br') {
      buffer += '\n';
      return;
    }
    if (node.name === 'table') {
      flush();
      // One at a time: a table of 200,000 rows spread into one call overflows the stack (issue 22 N3).
      for (const line of tableLines(node)) lines.push(line);
      return;
    }
    const block = BLOCKS.has(node.name) || node.name === 'tr' || node.name === 'td';
    if (block) flush();
    const before = lines.length;
    for (const child of node.children) walk(child);
    if (block) flush();
    // An empty paragraph (<p>&nbsp;</p>) where a page prints table cells as paragraphs is a blank cell:
    // kept as an empty line so that the report stage can keep the cell's place (report/tables/cell-stream.ts).
    if (block && lines.length === before && EMPTY_CELL_BLOCKS.has(node.name) && isEmptyLeaf(node))
      lines.push({ cells: [{ text: '', x0: 0, x1: 1 }], table: false });
  };
  for (const child of roots) walk(child);
  flush();
  return {
    format: 'html',
    pages: [{ number: 1, lines }],
    ...(encoding ? { encoding } : {}),
    warnings: [],
  };
}
