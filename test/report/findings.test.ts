import { describe, expect, it } from 'vitest';
import { notificationFor } from '../../functions/pipeline/notification.ts';
import {
  distinctCodes,
  errorsFirst,
  failedRecord,
  type Issue,
  issueLine,
  summaryOf,
  withIssues,
} from '../../functions/report/index.ts';
import { firstRevision } from '../support/stored.ts';

/** The shared operations on a record's findings: counting, ordering, the distinct codes, one line each. */
const warning: Issue = { code: 'TITLE_MISSING', severity: 'warning', section: 0, message: '未找到报告标题' };
const error: Issue = {
  code: 'CELL_MISSING',
  severity: 'error',
  section: 3,
  table: 'requests',
  row: 'resultTotal',
  column: 'naturalPerson',
  message: '第三部分表格"（七）总计"行"自然人"列为空',
};
// No code is info-level yet; the severity exists for rules that only point something out.
const info: Issue = { ...warning, severity: 'info', message: '提示' };

describe('findings', () => {
  it('count errors and warnings, never info', () => {
    expect(summaryOf([info, warning, error, warning])).toEqual({ errors: 1, warnings: 2 });
  });

  it('list errors first, then warnings, then info, in document order within each', () => {
    const second = { ...warning, message: '第二' };
    expect(errorsFirst([info, warning, error, second])).toEqual([error, warning, second, info]);
  });

  it('give the distinct codes in the order they first occur', () => {
    expect(distinctCodes([warning, error, warning, error])).toEqual(['TITLE_MISSING', 'CELL_MISSING']);
  });

  it('read as one line on a terminal and in a notice, located in the words of the template', () => {
    expect(issueLine(error, '2021', 'terminal')).toBe(
      '✗ CELL_MISSING  [第三部分 · （七）总计 · 自然人]  第三部分表格"（七）总计"行"自然人"列为空',
    );
    expect(issueLine(error, '2019', 'notice')).toBe(
      '[错误] CELL_MISSING（第三部分 · （七）总计 · 自然人）：第三部分表格"（七）总计"行"自然人"列为空',
    );
    expect(issueLine(warning, null, 'terminal')).toBe('⚠ TITLE_MISSING  [全文]  未找到报告标题');
    expect(issueLine(info, null, 'notice')).toBe('[提示] TITLE_MISSING（全文）：提示');
  });

  it('an info finding leaves a valid report valid; the notice lists errors first and leaves info out', () => {
    const base = failedRecord({ file: 'x.txt', bytes: new Uint8Array([1]) }, 'FILE_CORRUPT', '文件已损坏');
    const valid = { ...base, status: 'VALID' as const, failure: null, issues: [], summary: summaryOf([]) };
    expect(withIssues(valid, [info]).status).toBe('VALID');
    expect(withIssues(valid, [info]).summary).toEqual({ errors: 0, warnings: 0 });
    const invalid = withIssues(valid, [info, warning, error]);
    expect(invalid.status).toBe('INVALID');
    const lines = notificationFor(firstRevision(invalid)).message.split('\n');
    expect(lines.filter((l) => /^\d+\. /.test(l))).toEqual([
      `1. ${issueLine(error, null, 'notice')}`,
      `2. ${issueLine(warning, null, 'notice')}`,
    ]);
    expect(notificationFor(firstRevision(invalid)).attributes.codes).toEqual([
      'TITLE_MISSING',
      'CELL_MISSING',
    ]);
  });
});
