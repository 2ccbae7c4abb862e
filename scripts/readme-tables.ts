import { CODES, type CodeSpec, type IssueCode } from '../functions/report/codes.ts';
import {
  APPEAL_COLUMN_NAMES,
  APPEAL_COLUMNS,
  APPEAL_GROUP_NAMES,
  APPEAL_GROUPS,
  PROACTIVE_2019_ROWS,
  PROACTIVE_ROWS,
  type ProactiveRowSpec,
  REQUEST_COLUMN_NAMES,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  requestRowName,
  SECTIONS,
} from '../functions/report/template.ts';

/**
 * The documentation's generated parts: the code tables from the catalogue (functions/report/codes.ts) and
 * the template's key tables from its vocabulary (functions/report/template.ts), each in the docs/ page of
 * its subject (GENERATED_FILES). `npm run schema` writes them between their markers; a test fails when a
 * page differs, so no table drifts from the code it describes.
 */

/** Display width: CJK and full-width characters take two columns, as editors align them. */
const width = (s: string) =>
  [...s].reduce(
    (n, ch) =>
      n +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1),
    0,
  );

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c))).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const entries = (): [IssueCode, CodeSpec][] => Object.entries(CODES) as [IssueCode, CodeSpec][];

function severityText(spec: CodeSpec): string {
  const inTables = Object.entries(spec.severityIn ?? {}).map(([t, s]) => `${s} in \`${t}\``);
  return [spec.severity, ...inTables].join('; ');
}

function failureCodes(): string {
  const rows = entries()
    .filter(([, s]) => s.stage === 'extraction')
    .map(([code, s]) => [`\`${code}\``, s.readme, s.meaning]);
  return table(['code', 'meaning', '含义'], rows);
}

function findingCodes(): string {
  const rows = entries()
    .filter(([, s]) => s.stage !== 'extraction')
    .map(([code, s]) => [
      `\`${code}\``,
      severityText(s),
      s.stage,
      s.sections === 'any' ? 'any' : s.sections.join(', '),
      s.readme,
      s.meaning,
    ]);
  rows.push([
    'extraction codes',
    'error',
    'extraction',
    '0',
    'the file could not be extracted: status `FAILED` (see [extraction](extraction.md#failure-codes))',
    '文件无法提取',
  ]);
  return table(['code', 'severity', 'stage', 'section', 'meaning', '含义'], rows);
}

function proactiveKeys(field: string, rows: readonly ProactiveRowSpec[]): string[][] {
  return rows.map((r) => [
    `\`${field}\``,
    `\`${r.key}\``,
    r.name,
    r.columns === null
      ? `one number (${r.quantity ?? 'count'})`
      : r.columns
          .map((c) => `\`${c.key}\` ${c.name}${c.quantity === 'count' ? '' : ` (${c.quantity})`}`)
          .join(', '),
  ]);
}

function proactiveKeyTable(): string {
  return table(
    ['record field', 'row', '名称', 'columns'],
    [...proactiveKeys('proactive', PROACTIVE_ROWS), ...proactiveKeys('proactive2019', PROACTIVE_2019_ROWS)],
  );
}

function sectionTable(): string {
  return table(
    ['section', 'heading'],
    SECTIONS.map((s) => [String(s.number), s.title]),
  );
}

function requestKeyTable(): string {
  return table(
    ['key', '名称'],
    [
      ...REQUEST_COLUMNS.map((c) => [`column \`${c}\``, REQUEST_COLUMN_NAMES[c]]),
      ...REQUEST_ROW_KEYS.map((r) => [`row \`${r}\``, requestRowName(r)]),
    ],
  );
}

function appealKeyTable(): string {
  return table(
    ['key', '名称'],
    [
      ...APPEAL_GROUPS.map((g) => [`group \`${g}\``, APPEAL_GROUP_NAMES[g]]),
      ...APPEAL_COLUMNS.map((c) => [`column \`${c}\``, APPEAL_COLUMN_NAMES[c]]),
    ],
  );
}

/** Each generated part by its marker name. */
export const GENERATED_PARTS: Record<string, () => string> = {
  'failure-codes': failureCodes,
  'finding-codes': findingCodes,
  'template-sections': sectionTable,
  'request-keys': requestKeyTable,
  'appeal-keys': appealKeyTable,
  'proactive-keys': proactiveKeyTable,
};

/** Where each part lives: the page of its subject (paths from the repository root), each part in one. */
export const GENERATED_FILES: Record<string, readonly string[]> = {
  'docs/extraction.md': ['failure-codes'],
  'docs/findings.md': ['finding-codes'],
  'docs/template.md': ['template-sections', 'request-keys', 'appeal-keys', 'proactive-keys'],
};

const begin = (name: string) => `<!-- generated:${name} (npm run schema) -->`;
const end = (name: string) => `<!-- end generated:${name} -->`;

/** Whether `text` holds either marker of the part `name` (a stale copy outside its page is an error). */
export const hasMarkers = (text: string, name: string): boolean =>
  text.includes(begin(name)) || text.includes(end(name));

/**
 * `text` with the parts `names` replaced by what the code makes of them now; throws when a part's markers
 * are missing, out of order or there twice.
 */
export function withGeneratedParts(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of names) {
    const render = GENERATED_PARTS[name];
    if (render === undefined) throw new Error(`no generated part ${name}`);
    const from = out.indexOf(begin(name));
    const to = out.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`the markers of ${name} are missing or out of order`);
    if (out.indexOf(begin(name), from + 1) >= 0 || out.indexOf(end(name), to + 1) >= 0) {
      throw new Error(`the markers of ${name} are there twice`);
    }
    out = `${out.slice(0, from + begin(name).length)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}
