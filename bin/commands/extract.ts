import { readFile } from 'node:fs/promises';
import { ExtractionError, Extractor, messageOf, renderText } from '../../functions/extract/index.ts';
import { LIMIT_OPTIONS, limitsFrom, parse, UsageError } from './options.ts';

/** `report-pipeline extract FILE [--json]` */
export async function extractCommand(args: string[]): Promise<number> {
  let file: string;
  let json: boolean;
  let extractor: Extractor;
  try {
    const { values, positionals } = parse(args, { json: { type: 'boolean' }, ...LIMIT_OPTIONS });
    const [only, ...more] = positionals;
    if (only === undefined || more.length > 0) throw new UsageError('extract takes exactly one FILE');
    file = only;
    json = values.json === true;
    extractor = new Extractor({ limits: limitsFrom(values) });
  } catch (error) {
    process.stderr.write(`report-pipeline extract: ${messageOf(error)}\n`);
    return 2;
  }
  try {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (error) {
      process.stderr.write(`report-pipeline extract: cannot read ${file}: ${messageOf(error)}\n`);
      return 2;
    }
    try {
      const doc = await extractor.extract(bytes);
      process.stdout.write(json ? `${JSON.stringify({ file, ...doc })}\n` : `${renderText(doc)}\n`);
      return 0;
    } catch (error) {
      const code = error instanceof ExtractionError ? error.code : 'INTERNAL_ERROR';
      const message = messageOf(error);
      process.stderr.write(`${code}: ${message}\n`);
      if (json) process.stdout.write(`${JSON.stringify({ file, error: { code, message } })}\n`);
      return 2;
    }
  } finally {
    await extractor.close();
  }
}
