import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../functions/extract/index.ts';
import { checkDocument, failedRecord, ReportRecord, SCHEMA_VERSION } from '../../functions/report/index.ts';
import { SCHEMA_FILE, schemaText } from '../../scripts/write-schema.ts';
import { listFixtures } from '../support/fixtures.ts';

describe('the shipped JSON Schema', () => {
  it('is what the zod schema generates (run npm run schema after changing it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  it('accepts real records and rejects a record with a renamed key', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    const fixtures = listFixtures().filter((f) => f.file.endsWith('.txt') || f.file.startsWith('real/'));
    for (const f of fixtures.slice(0, 12)) {
      const bytes = readFileSync(f.path);
      const record = checkDocument({ file: f.file, bytes, agencyId: 'a1' }, await extractDocument(bytes));
      expect(validate(JSON.parse(JSON.stringify(record))), JSON.stringify(validate.errors)).toBe(true);
    }
    const failed = failedRecord(
      { file: 'x.pdf', bytes: new Uint8Array([1]) },
      'FILE_CORRUPT',
      'PDF 文件已损坏',
    );
    expect(validate(failed)).toBe(true);
    expect(ReportRecord.parse(failed).schemaVersion).toBe(SCHEMA_VERSION);

    const renamed = JSON.parse(JSON.stringify(failed));
    renamed.agencyID = renamed.agencyId;
    delete renamed.agencyId;
    expect(validate(renamed)).toBe(false);
  });
});
