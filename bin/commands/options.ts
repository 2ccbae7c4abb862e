import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { ExtractionLimits } from '../../functions/extract/index.ts';
import { messageOf } from '../../functions/extract/index.ts';

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
