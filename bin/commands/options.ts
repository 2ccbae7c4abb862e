import { type ParseArgsConfig, parseArgs } from 'node:util';
import { reportYearOf } from '../../functions/api/answer.ts';
// From the module itself: the extract index also loads the extracted document's zod schema, which check never needs.
import { messageOf } from '../../functions/extract/errors.ts';
import type { ExtractionLimits } from '../../functions/extract/index.ts';

/** Options shared by every command that reads report files. */
export const LIMIT_OPTIONS = {
  'max-mb': { type: 'string' },
  'max-pages': { type: 'string' },
  'timeout-s': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export class UsageError extends Error {
  override name = 'UsageError';
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} needs a positive number, got '${value}'`);
  return n;
}

/** The limit options as parsed (each a string when given). */
export function limitsFrom(
  values: Partial<Record<keyof typeof LIMIT_OPTIONS, string>>,
): Partial<ExtractionLimits> {
  const limits: Partial<ExtractionLimits> = {};
  const mb = positive('max-mb', values['max-mb']);
  const pages = positive('max-pages', values['max-pages']);
  const seconds = positive('timeout-s', values['timeout-s']);
  if (mb !== undefined) limits.maxBytes = Math.round(mb * 1024 * 1024);
  if (pages !== undefined) limits.maxPages = Math.floor(pages);
  if (seconds !== undefined) limits.timeoutMs = Math.round(seconds * 1000);
  return limits;
}

export function parse<const T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

/** `--year`: a reporting year as the API takes one (functions/api/answer.ts), else a usage error. */
export function reportYearOption(value: string | boolean | undefined): number {
  const year = reportYearOf(typeof value === 'string' ? value : undefined);
  if (year === null) throw new UsageError('--year takes a reporting year, e.g. --year 2024');
  return year;
}

/** `--json` and `--csv` each choose the output: at most one of them. */
export function oneOutput(values: { json?: boolean | undefined; csv?: boolean | undefined }): void {
  if (values.json === true && values.csv === true)
    throw new UsageError('--json and --csv exclude each other');
}
