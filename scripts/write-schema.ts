import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportRecordJsonSchema } from '../functions/report/index.ts';

/** Writes schema/report-record.schema.json from the zod schema (npm run schema); a test keeps it current. */
export const SCHEMA_FILE = path.join(import.meta.dirname, '..', 'schema', 'report-record.schema.json');
export const schemaText = (): string => `${JSON.stringify(reportRecordJsonSchema(), null, 2)}\n`;

if (import.meta.main) {
  writeFileSync(SCHEMA_FILE, schemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
