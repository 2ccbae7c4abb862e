import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportRecordJsonSchema } from '../functions/report/index.ts';
import { withGeneratedParts } from './readme-tables.ts';

/**
 * Writes what is generated from the code (npm run schema): schema/report-record.schema.json from the zod
 * schema, and the README's code and key tables from the catalogue and the template vocabulary. Tests keep
 * both current.
 */
export const SCHEMA_FILE = path.join(import.meta.dirname, '..', 'schema', 'report-record.schema.json');
export const README_FILE = path.join(import.meta.dirname, '..', 'README.md');
export const schemaText = (): string => `${JSON.stringify(reportRecordJsonSchema(), null, 2)}\n`;

if (import.meta.main) {
  writeFileSync(SCHEMA_FILE, schemaText());
  writeFileSync(README_FILE, withGeneratedParts(readFileSync(README_FILE, 'utf8')));
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), SCHEMA_FILE)} and the README's generated tables\n`,
  );
}
