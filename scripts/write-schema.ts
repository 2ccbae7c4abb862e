import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportRecordJsonSchema } from '../functions/report/index.ts';
import { GENERATED_FILES, withGeneratedParts } from './readme-tables.ts';

/**
 * Writes what is generated from the code (npm run schema): schema/report-record.schema.json from the zod
 * schema, and the docs/ pages' code and key tables from the catalogue and the template vocabulary. Tests
 * keep both current.
 */
export const SCHEMA_FILE = path.join(import.meta.dirname, '..', 'schema', 'report-record.schema.json');
export const REPO_ROOT = path.join(import.meta.dirname, '..');
export const schemaText = (): string => `${JSON.stringify(reportRecordJsonSchema(), null, 2)}\n`;

if (import.meta.main) {
  writeFileSync(SCHEMA_FILE, schemaText());
  for (const [file, parts] of Object.entries(GENERATED_FILES)) {
    const full = path.join(REPO_ROOT, file);
    writeFileSync(full, withGeneratedParts(readFileSync(full, 'utf8'), parts));
  }
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), SCHEMA_FILE)} and the generated tables of ${Object.keys(GENERATED_FILES).join(', ')}\n`,
  );
}
