/**
 * Writes test/fixtures/forms/: the seeds and synthetic reports (and the real crawled page) re-laid in the
 * forms real agencies' pages take (issue 23), each with the truth a reader must reach on it. Text and HTML
 * forms are pure functions of the fixtures (test/support/forms.ts); with `--pdf` the PDFs are printed too:
 * crawled text and blank-column reports through Chromium (/usr/bin/chromium, as the page tests use), and
 * blank-column reports through LibreOffice (`soffice`, its HTML (StarWriter) filter, see pitfalls).
 *
 *   npx node scripts/make-form-fixtures.ts          # text and HTML forms, and the PDFs not printed yet
 *   npx node scripts/make-form-fixtures.ts --pdf    # and every PDF anew (needs chromium and soffice)
 *
 * Each truth file is the source's truth with `form` (the class), `source` and, where the form loses what
 * no reader can get back (blank cells a stream drops, cells a crawler ran together), `lossy: true`.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Fixture, listFixtures, RENAMED, type Truth } from '../test/support/fixtures.ts';
import {
  hasBlankCell,
  htmlWithBlankOrganisations,
  htmlWithChrome,
  htmlWithTablesAsImages,
  PORTAL_CHROME,
  preHtml,
  type StreamStyle,
  type TableKey,
  titleVariant,
  toCellStream,
  toCrawledPage,
  toParagraphHtml,
  toRowLines,
  toTemplate2019,
  truthLosingBlanks,
  truthWithBlankOrganisations,
  truthWithBlankRepealed,
  truthWithNarrativeMismatch,
  truthWithoutTables,
  tsvToHtml,
  withBlankOrganisations,
  withBlankRepealed,
  withChromeBefore,
  withNarrativeMismatch,
  withoutTable,
  withTitle,
  wrapAtMargin,
} from '../test/support/forms.ts';

const ROOT = path.join(import.meta.dirname, '..', 'test', 'fixtures');
const OUT = path.join(ROOT, 'forms');
const withPdf = process.argv.includes('--pdf');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Source {
  /** seeds-000_e40642799460f372, synthetic-001 */
  name: string;
  source: string;
  txt: string;
  html: string;
  truth: Truth;
}

// The forms keep the names the fixtures were made with (`synthetic/003`), whatever they are named now.
const FORMER = new Map(Object.entries(RENAMED).map(([old, current]) => [current, old]));
const byName = new Map<string, Fixture[]>();
for (const f of listFixtures()) {
  if (!/^(seeds|synthetic)\//.test(f.name)) continue;
  const name = FORMER.get(f.name) ?? f.name;
  byName.set(name, [...(byName.get(name) ?? []), f]);
}
const sources: Source[] = [...byName.entries()]
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  .map(([name, files]) => {
    const file = (ext: string) => files.find((f) => f.file === `${f.name}.${ext}`)?.path ?? '';
    return {
      name: name.replace('/', '-'),
      source: name,
      txt: readFileSync(file('txt'), 'utf8'),
      html: readFileSync(file('html'), 'utf8'),
      truth: files[0]?.truth as Truth,
    };
  });
const bySource = (name: string) => {
  const s = sources.find((x) => x.source === name);
  if (s === undefined) throw new Error(`no fixture ${name}`);
  return s;
};
const pingtan = {
  text: readFileSync(path.join(ROOT, 'real', 'pingtan-2021.txt'), 'utf8'),
  truth: JSON.parse(readFileSync(path.join(ROOT, 'real', 'pingtan-2021.truth.json'), 'utf8')) as Truth,
};

// Everything is written anew; the PDFs only with --pdf (printing takes minutes), else they are kept.
mkdirSync(OUT, { recursive: true });
for (const form of readdirSync(OUT, { withFileTypes: true }).filter((d) => d.isDirectory())) {
  const dir = path.join(OUT, form.name);
  for (const f of readdirSync(dir)) if (withPdf || !f.endsWith('.pdf')) rmSync(path.join(dir, f));
}
const written: string[] = [];
function write(form: string, name: string, files: Record<string, string>, truth: Truth, meta: object): void {
  const dir = path.join(OUT, form);
  mkdirSync(dir, { recursive: true });
  for (const [ext, content] of Object.entries(files))
    writeFileSync(path.join(dir, `${name}.${ext}`), content);
  const { notes: _notes, ...rest } = truth as Truth & { notes?: string };
  writeFileSync(
    path.join(dir, `${name}.truth.json`),
    `${JSON.stringify({ ...rest, form, ...(REBUILT.test(form) ? { rowsRebuilt: true } : {}), ...meta }, null, 1)}\n`,
  );
  written.push(`${form}/${name}`);
}
/** Forms whose table rows only the report stage rebuilds (a cell a line, a crawled page's one line). */
const REBUILT = /^(?:cell-|crawled|rows-|narrative-c|template-2019-crawled)/;

// 1. One cell per line or paragraph. Blank cells survive as `||` (padded) and empty paragraphs (HTML);
//    the other styles drop them, as a crawler's get_text does.
const STREAMS: { form: string; style: StreamStyle; keepsBlanks: boolean }[] = [
  { form: 'cell-lines', style: 'lines', keepsBlanks: false },
  { form: 'cell-paragraphs', style: 'paragraphs', keepsBlanks: false },
  { form: 'cell-pipes', style: 'pipes', keepsBlanks: false },
  { form: 'cell-padded', style: 'padded', keepsBlanks: true },
];
sources.forEach((s, i) => {
  for (const { form, style, keepsBlanks } of STREAMS) {
    const spacedHeaders = i % 2 === 1;
    const lossy = !keepsBlanks && hasBlankCell(s.truth);
    write(
      form,
      s.name,
      { txt: toCellStream(s.txt, { style, spacedHeaders }) },
      lossy ? truthLosingBlanks(s.truth) : s.truth,
      { source: s.source, spacedHeaders, ...(lossy ? { lossy } : {}) },
    );
  }
  // One row a line: cells a space apart (as text and as a page of paragraphs), or run together.
  const truth = hasBlankCell(s.truth) ? truthLosingBlanks(s.truth) : s.truth;
  const spaced = toRowLines(s.txt, ' ');
  write('rows-spaced', s.name, { txt: spaced, html: toParagraphHtml(spaced, 'p') }, truth, {
    source: s.source,
    ...(truth === s.truth ? {} : { lossy: true }),
  });
  write('rows-run-together', s.name, { txt: toRowLines(s.txt, '') }, truth, {
    source: s.source,
    lossy: true,
  });
  const block = i % 2 === 0 ? 'p' : 'div';
  write('cell-html', s.name, { html: toParagraphHtml(s.txt, block) }, s.truth, { source: s.source, block });
});

// 2. Crawled pages: the report on one line, cells run together (spaces kept on some lines), and the same
//    hard-wrapped at a margin of 48 to 120 columns, as a printout or a narrow paste box does.
const WIDTHS = [48, 64, 80, 100, 120];
sources.forEach((s, i) => {
  const title = s.txt.split('\n')[0] ?? '';
  const keep = i % 3 === 0 ? (line: number) => line % 3 === 0 : () => false;
  const crawled = toCrawledPage(s.txt, title, keep);
  const truth = hasBlankCell(s.truth) ? truthLosingBlanks(s.truth) : s.truth;
  write('crawled', s.name, { txt: crawled }, truth, { source: s.source, lossy: true });
  const width = WIDTHS[i % WIDTHS.length] ?? 80;
  write('crawled-wrapped', s.name, { txt: wrapAtMargin(crawled, width) }, truth, {
    source: s.source,
    lossy: true,
    width,
  });
});
for (const width of [60, 90]) {
  write(
    'crawled-wrapped',
    `real-pingtan-2021-w${width}`,
    { txt: wrapAtMargin(pingtan.text, width) },
    pingtan.truth,
    {
      source: 'real/pingtan-2021',
      lossy: true,
      width,
    },
  );
}

// 3. Blank columns: table 三's organisation columns left blank (only 自然人 and 总计 filled) and one table 二
//    cell blank, in every format; PDFs from an office suite and from a browser.
const BLANK_COLUMNS = [
  { source: 'seeds/000_e40642799460f372', office: true, chromium: false },
  { source: 'seeds/003_3c95a7fc71041271', office: false, chromium: true },
  { source: 'synthetic/006', office: true, chromium: false },
  { source: 'synthetic/009', office: false, chromium: true },
  { source: 'synthetic/019', office: true, chromium: true },
  { source: 'synthetic/020', office: true, chromium: false },
];
const blankHtml = new Map<string, string>();
for (const b of BLANK_COLUMNS) {
  const s = bySource(b.source);
  const html = withBlankRepealed(htmlWithBlankOrganisations(s.html));
  blankHtml.set(s.name, html);
  const truth = truthWithBlankRepealed(truthWithBlankOrganisations(s.truth));
  write('blank-columns', s.name, { html, txt: withBlankRepealed(withBlankOrganisations(s.txt)) }, truth, {
    source: s.source,
  });
}

// 4. Portal chrome before the title, and the title worded …年报 / …工作报告 / …年度…工作年度报告 / 关于….
sources.forEach((s, i) => {
  const chrome = PORTAL_CHROME[i % PORTAL_CHROME.length] ?? [];
  const original = s.txt.split('\n')[0] ?? '';
  const title = i % 5 === 4 ? original : titleVariant(original, s.truth.agency, i % 5);
  write(
    'portal-chrome',
    s.name,
    {
      txt: withChromeBefore(withTitle(s.txt, title), chrome),
      html: htmlWithChrome(s.html, chrome, title),
    },
    s.truth,
    { source: s.source, title },
  );
});

// 5. Tables published as images: absent from the text.
const IMAGES: { source: string; tables: TableKey[] }[] = [
  { source: 'seeds/001_c3e8f04142897358', tables: ['proactive'] },
  { source: 'synthetic/003', tables: ['requests'] },
  { source: 'synthetic/004', tables: ['appeals'] },
  { source: 'synthetic/012', tables: ['proactive', 'requests', 'appeals'] },
  { source: 'synthetic/018', tables: ['requests', 'appeals'] },
  { source: 'seeds/004_cf12d0ca7d1a2270', tables: ['requests'] },
];
const ORDER: TableKey[] = ['proactive', 'requests', 'appeals'];
for (const { source, tables } of IMAGES) {
  const s = bySource(source);
  let txt = s.txt;
  for (const t of tables)
    txt = withoutTable(txt, t, [
      `（${t === 'proactive' ? '表二' : t === 'requests' ? '表三' : '表四'}见附图）`,
    ]);
  write(
    'image-tables',
    s.name,
    {
      txt,
      html: htmlWithTablesAsImages(
        s.html,
        tables.map((t) => ORDER.indexOf(t)),
      ),
    },
    truthWithoutTables(s.truth, tables),
    { source: s.source, tables },
  );
}

// 6. The 2019 template (reports for 2019 and 2020), as text, as a page with plain tables, and crawled.
const CLEAN = [
  'synthetic/000',
  'synthetic/003',
  'synthetic/006',
  'synthetic/009',
  'synthetic/012',
  'synthetic/015',
];
CLEAN.forEach((source, i) => {
  const s = bySource(source);
  const { text, truth } = toTemplate2019(s.txt, s.truth, 2019 + (i % 2));
  write('template-2019', s.name, { txt: text, html: tsvToHtml(text) }, truth, { source: s.source });
  write(
    'template-2019-crawled',
    s.name,
    { txt: toCrawledPage(text, text.split('\n')[0] ?? '', () => false) },
    truth,
    { source: s.source, lossy: true },
  );
});

// 7. Narrative counts contradicting the tables, on every text form and both templates.
CLEAN.concat(['synthetic/018', 'synthetic/021']).forEach((source, i) => {
  const s = bySource(source);
  const review = (s.truth.appeals.review?.total ?? 0) + 2;
  const on2019 = i % 2 === 1;
  const base = on2019 ? toTemplate2019(s.txt, s.truth, 2020) : { text: s.txt, truth: s.truth };
  const licensing = (typeof s.truth.proactive?.licensing === 'number' ? s.truth.proactive.licensing : 0) + 4;
  const text = withNarrativeMismatch(base.text, 5, review, licensing);
  if (text === null) return;
  const truth = truthWithNarrativeMismatch(base.truth, true, true);
  const title = text.split('\n')[0] ?? '';
  write('narrative', s.name, { txt: text, html: tsvToHtml(text) }, truth, {
    source: s.source,
    template: base.truth.template,
  });
  // Crawled, the 2019 template's 行政许可 row (上一年项目数量, 本年增/减, 处理决定数量 run together, no sum
  // between them) cannot be split: the claim about its decisions cannot be checked.
  const crawledTruth = on2019
    ? { ...truth, expectedIssues: truth.expectedIssues.filter((e) => e.row !== 'licensing') }
    : truth;
  write('narrative-crawled', s.name, { txt: toCrawledPage(text, title, () => false) }, crawledTruth, {
    source: s.source,
    lossy: true,
  });
  write('narrative-cells', s.name, { txt: toCellStream(text, { style: 'lines' }) }, truth, {
    source: s.source,
  });
});

// 8. PDFs: crawled text printed by Chromium (its text viewer wraps the long lines at the page margin),
//    and the blank-column reports printed by LibreOffice and by Chromium.
/** Thrown to stop before the printing steps when no PDFs are asked for. */
function chromiumPdf(input: string, output: string): void {
  execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-pdf-header-footer',
      `--print-to-pdf=${output}`,
      `file://${input}`,
    ],
    { stdio: 'ignore', timeout: 120_000 },
  );
}
function officePdf(input: string, dir: string): string {
  execFileSync(
    'soffice',
    [
      '--headless',
      '--infilter=HTML (StarWriter)',
      '--convert-to',
      'pdf:writer_pdf_Export',
      '--outdir',
      dir,
      input,
    ],
    { stdio: 'ignore', timeout: 180_000 },
  );
  return path.join(dir, `${path.basename(input, '.html')}.pdf`);
}
const CRAWLED_PDF = ['seeds/000_e40642799460f372', 'synthetic/003', 'synthetic/007', 'synthetic/017'];
interface PrintSetup {
  name: string;
  /** The count of columns the text is hard-wrapped at before printing (null: not wrapped). */
  wrap: number | null;
  /** The CSS page size of a <pre> page (null: the .txt in Chromium's text viewer, Letter). */
  page: string | null;
  css: string;
}
const PRINT_SETUPS: readonly PrintSetup[] = [
  { name: 'text-80', wrap: 80, page: null, css: '' },
  { name: 'text-120', wrap: 120, page: null, css: '' },
  { name: 'a5-64', wrap: 64, page: 'A5', css: 'font: 13px monospace' },
  { name: 'a4-landscape-100', wrap: 100, page: 'A4 landscape', css: 'font: 12px monospace' },
  { name: 'a4-sans-90', wrap: 90, page: 'A4', css: "font: 14px 'Noto Sans CJK SC', sans-serif" },
  { name: 'a4-serif', wrap: null, page: 'A4', css: "font: 12px 'Noto Serif CJK SC', serif" },
];
const CRAWLED_WRAPPED_PDF = [
  'seeds/001_c3e8f04142897358',
  'seeds/002_7bf1580f9ef3f488',
  'synthetic/000',
  'synthetic/004',
  'synthetic/008',
  'synthetic/011',
  'synthetic/016',
  'synthetic/021',
];
{
  const tmp = mkdtempSync(path.join(tmpdir(), 'forms-'));
  try {
    const printed = (name: string, text: string, truth: Truth, meta: object) => {
      const input = path.join(tmp, `${name}.txt`);
      writeFileSync(input, text);
      const dir = path.join(OUT, 'crawled-pdf');
      mkdirSync(dir, { recursive: true });
      if (withPdf) chromiumPdf(input, path.join(dir, `${name}.pdf`));
      const { notes: _notes, ...rest } = truth as Truth & { notes?: string };
      writeFileSync(
        path.join(dir, `${name}.truth.json`),
        `${JSON.stringify({ ...rest, form: 'crawled-pdf', rowsRebuilt: true, lossy: true, ...meta }, null, 1)}\n`,
      );
      written.push(`crawled-pdf/${name}`);
    };
    printed('real-pingtan-2021', pingtan.text, pingtan.truth, { source: 'real/pingtan-2021' });
    // Crawled text hard-wrapped at a count of columns, then printed: by Chromium's text viewer (Letter; a
    // count wider than the page is wrapped again) and as a <pre> page on other paper, type and sizes.
    CRAWLED_WRAPPED_PDF.forEach((source, i) => {
      const s = bySource(source);
      const setup = PRINT_SETUPS[i % PRINT_SETUPS.length] as PrintSetup;
      const name = `${s.name}-${setup.name}`;
      const crawled = toCrawledPage(s.txt, s.txt.split('\n')[0] ?? '', () => false);
      const text = setup.wrap === null ? crawled : wrapAtMargin(crawled, setup.wrap);
      const dir = path.join(OUT, 'crawled-wrapped-pdf');
      mkdirSync(dir, { recursive: true });
      const output = path.join(dir, `${name}.pdf`);
      if (withPdf || !existsSync(output)) {
        const input = path.join(tmp, setup.page === null ? `${name}.txt` : `${name}.html`);
        writeFileSync(input, setup.page === null ? text : preHtml(text, setup.page, setup.css));
        chromiumPdf(input, output);
      }
      const truth = hasBlankCell(s.truth) ? truthLosingBlanks(s.truth) : s.truth;
      const { notes: _notes, ...rest } = truth as Truth & { notes?: string };
      const meta = { source, wrap: setup.wrap, print: setup.name };
      writeFileSync(
        path.join(dir, `${name}.truth.json`),
        `${JSON.stringify({ ...rest, form: 'crawled-wrapped-pdf', rowsRebuilt: true, lossy: true, ...meta }, null, 1)}\n`,
      );
      written.push(`crawled-wrapped-pdf/${name}`);
    });
    for (const source of CRAWLED_PDF) {
      const s = bySource(source);
      const truth = hasBlankCell(s.truth) ? truthLosingBlanks(s.truth) : s.truth;
      printed(
        s.name,
        toCrawledPage(s.txt, s.txt.split('\n')[0] ?? '', () => false),
        truth,
        { source },
      );
    }
    if (withPdf) {
      for (const b of BLANK_COLUMNS) {
        const s = bySource(b.source);
        const input = path.join(tmp, `${s.name}.html`);
        writeFileSync(input, blankHtml.get(s.name) ?? '');
        const dir = path.join(OUT, 'blank-columns');
        if (b.office) copyFileSync(officePdf(input, tmp), path.join(dir, `${s.name}.office.pdf`));
        if (b.chromium) chromiumPdf(input, path.join(dir, `${s.name}.chromium.pdf`));
      }
      // One 2019-template report printed by Chromium.
      const s2019 = bySource('synthetic/003');
      const { text } = toTemplate2019(s2019.txt, s2019.truth, 2020);
      const input = path.join(tmp, 'template-2019.html');
      writeFileSync(input, tsvToHtml(text));
      chromiumPdf(input, path.join(OUT, 'template-2019', `${s2019.name}.chromium.pdf`));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
process.stdout.write(`wrote ${written.length} fixtures under test/fixtures/forms/\n`);
