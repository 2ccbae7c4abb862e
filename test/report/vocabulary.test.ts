import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Extractor } from '../../functions/extract/index.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  CODES,
  type CodeSpec,
  checkDocument,
  type Issue,
  issueLine,
  locationOf,
  OTHER_SUB_ROWS,
  proactiveRows,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  type ReportRecord,
  rowName,
  severityOf,
  type Template,
} from '../../functions/report/index.ts';
import { listFixtures } from '../support/fixtures.ts';
import { type Cellish, report } from '../support/report-builder.ts';
import { checkText, sampleSpec } from './helpers.ts';

/**
 * Findings speak the template's language: no message or location names a cell by its key (newlyPublished,
 * naturalPerson, resultTotal…), on either template, for every cell of every table. Locations are made of
 * the template's names alone; messages may quote the document, which here is Chinese and digits.
 */
const ASCII_WORD = /[A-Za-z]{2,}/;

function expectWords(record: ReportRecord, context: string): void {
  for (const issue of record.issues) {
    const where = `${context}: ${JSON.stringify(issue)}`;
    expect(locationOf(issue, record.template), where).not.toMatch(ASCII_WORD);
    expect(issue.message, where).not.toMatch(ASCII_WORD);
    // The catalogue's entry holds for every finding made: its severity, and a section it is reported in.
    expect(issue.severity, where).toBe(severityOf(issue.code, issue.table));
    const spec: CodeSpec = CODES[issue.code];
    if (spec.sections !== 'any') expect(spec.sections, where).toContain(issue.section);
  }
}

const extractor = new Extractor();
afterAll(() => extractor.close());

describe('findings on the fixtures', () => {
  it.each(listFixtures().map((f) => [f.file, f] as const))('%s', async (_name, fixture) => {
    const bytes = readFileSync(fixture.path);
    const record = checkDocument({ file: fixture.file, bytes }, await extractor.extract(bytes));
    expectWords(record, fixture.file);
  });
});

const specFor = (template: Template) =>
  sampleSpec(template === '2019' ? { year: 2019, rowSet: '2019' } : { year: 2023 });

/** What a blank or a word where a number belongs looks like in a cell. */
const DEFECTS: readonly Cellish[] = [null, '无'];

describe.each(['2021', '2019'] as const)('findings on the %s template', (template) => {
  it('a clean report has none', async () => {
    const record = await checkText(report(template, specFor(template)));
    expect(record.template).toBe(template);
    expect(record.issues).toEqual([]);
  });

  it('name every blank or invalid section-2 cell by its row and column names', async () => {
    for (const row of proactiveRows(template)) {
      for (let column = 0; column < (row.columns?.length ?? 1); column++) {
        for (const defect of DEFECTS) {
          const text = report(template, specFor(template), (r, c) =>
            r === row.key && c === column ? defect : 1,
          );
          const record = await checkText(text);
          const context = `${template} ${row.key}[${column}] = ${String(defect)}`;
          expectWords(record, context);
          const found = record.issues.filter((i: Issue) => i.table === 'proactive' && i.row === row.key);
          expect(found.length, context).toBeGreaterThan(0);
          for (const issue of found) {
            expect(issue.message, context).toContain(row.name);
            expect(locationOf(issue, record.template).split(' · ')[1], context).toBe(row.name);
            const columnName = row.columns?.[column]?.name;
            if (issue.column !== undefined && columnName !== undefined) {
              expect(issueLine(issue, record.template, 'terminal'), context).toContain(columnName);
            }
          }
        }
      }
    }
  });

  it('name every blank or invalid requests and appeals cell by its names', async () => {
    const rows = REQUEST_ROW_KEYS.filter((k) =>
      template === '2019' ? !OTHER_SUB_ROWS.includes(k) : k !== 'otherTotal2019',
    );
    for (const defect of DEFECTS) {
      for (const row of rows) {
        for (const column of REQUEST_COLUMNS) {
          const spec = specFor(template);
          spec.requests[row][column] = defect;
          const record = await checkText(report(template, spec));
          const context = `${template} requests.${row}.${column} = ${String(defect)}`;
          expectWords(record, context);
          const found = record.issues.filter((i) => i.table === 'requests' && i.row === row);
          expect(found.length, context).toBeGreaterThan(0);
          expect(found.map((i) => locationOf(i, record.template)).join(), context).toContain(
            rowName(template, 'requests', row),
          );
        }
      }
      for (const group of APPEAL_GROUPS) {
        for (const column of APPEAL_COLUMNS) {
          const spec = specFor(template);
          spec.appeals[group][column] = defect;
          const record = await checkText(report(template, spec));
          const context = `${template} appeals.${group}.${column} = ${String(defect)}`;
          expectWords(record, context);
          expect(
            record.issues.some((i) => i.table === 'appeals' && i.group === group),
            context,
          ).toBe(true);
        }
      }
    }
  });
});

it('a blank 2019 cell reads in the 2019 words (the bug of issue 10)', async () => {
  const text = report('2019', specFor('2019'), (r, c) => (r === 'normativeDocuments' && c === 1 ? null : 1));
  const record = await checkText(text);
  const [issue] = record.issues;
  expect(record.issues).toHaveLength(1);
  expect(issue?.message).toBe('第二部分表格"规范性文件"行"本年新公开数量"列为空');
  expect(issue === undefined ? '' : issueLine(issue, record.template, 'terminal')).toBe(
    '✗ CELL_MISSING  [第二部分 · 规范性文件 · 本年新公开数量]  第二部分表格"规范性文件"行"本年新公开数量"列为空',
  );
});
