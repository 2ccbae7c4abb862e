import { CODES, type CodeSpec, type IssueCode } from '../functions/report/codes.ts';
import { PROACTIVE_2019_ROWS, PROACTIVE_ROWS, type ProactiveRowSpec } from '../functions/report/template.ts';

/**
 * The README's generated parts: the code tables from the catalogue (functions/report/codes.ts) and the
 * section-2 key tables from the template vocabulary. `npm run schema` writes them between their markers;
 * a test fails when the README differs.
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
    'the file could not be extracted: status `FAILED` (see above)',
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

/** Each generated part of the README by its marker name. */
export const README_PARTS: Record<string, () => string> = {
  'failure-codes': failureCodes,
  'finding-codes': findingCodes,
  'proactive-keys': proactiveKeyTable,
};

const begin = (name: string) => `<!-- generated:${name} (npm run schema) -->`;
const end = (name: string) => `<!-- end generated:${name} -->`;

/** The README with every generated part replaced; throws when a marker is missing. */
export function withGeneratedParts(readme: string): string {
  let out = readme;
  for (const [name, render] of Object.entries(README_PARTS)) {
    const from = out.indexOf(begin(name));
    const to = out.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`README lacks the markers of ${name}`);
    out = `${out.slice(0, from + begin(name).length)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}
