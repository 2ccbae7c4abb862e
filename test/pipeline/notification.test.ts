import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, notificationFor } from '../../functions/pipeline/notification.ts';
import { type Issue, type ReportRecord, withIssues } from '../../functions/report/index.ts';
import { checkText, sampleText } from '../report/helpers.ts';
import { firstRevision } from '../support/stored.ts';

/**
 * The message to supervisors must fit SNS (256 KB for message, subject and attributes together), however
 * many findings a report has: the list is cut, errors first, and the cut says how many were left out.
 */
const SNS_LIMIT = 256 * 1024;
const bytesOf = (n: ReturnType<typeof notificationFor>) =>
  Buffer.byteLength(n.message) +
  Buffer.byteLength(n.subject) +
  Buffer.byteLength(JSON.stringify(n.attributes));

let valid: ReportRecord;
beforeAll(async () => {
  valid = await checkText(sampleText());
  expect(valid.status).toBe('VALID');
});

const finding = (i: number, severity: Issue['severity'], text: string): Issue => ({
  code: severity === 'error' ? 'REQUESTS_RESULT_TOTAL' : 'TEMPLATE_OUTDATED',
  severity,
  section: 5,
  message: `${text}${i}`,
});

describe('notificationFor', () => {
  it('lists every finding of a small report, nothing cut', () => {
    const record = withIssues(valid, [finding(1, 'warning', '警告'), finding(2, 'error', '错误')]);
    const { message } = notificationFor(firstRevision(record));
    expect(message).not.toContain('未列出');
    // Errors come before warnings whatever the order found.
    expect(message.indexOf('错误2')).toBeGreaterThan(0);
    expect(message.indexOf('错误2')).toBeLessThan(message.indexOf('警告1'));
  });

  it('cuts 20 000 long findings to fit SNS, errors first, and says how many were left out', () => {
    const long = '第二部分表格"规范性文件"行"本年制发件数"列数值与合计不一致，'.repeat(8);
    const issues = Array.from({ length: 20_000 }, (_, i) =>
      finding(i, i % 3 === 0 ? 'warning' : 'error', long),
    );
    const n = notificationFor(firstRevision(withIssues(valid, issues)));
    expect(Buffer.byteLength(n.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(bytesOf(n)).toBeLessThan(SNS_LIMIT);
    const listed = n.message.split('\n').filter((l) => /^\d+\. \[/.test(l));
    const left = Number(/另有 (\d+) 项未列出/.exec(n.message)?.[1]);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length + left).toBe(issues.length);
    // Fewer than the 13 334 errors fit, so none of the listed lines is a warning.
    expect(listed.every((l) => l.includes('[错误]'))).toBe(true);
  });

  it('stays under the limit for any number and size of findings (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            severity: fc.constantFrom<Issue['severity']>('error', 'warning'),
            text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2000 }),
          }),
          { maxLength: 400 },
        ),
        (specs) => {
          // One line per finding: line breaks in a message would make lines uncountable here.
          const issues = specs.map((s, i) => finding(i, s.severity, s.text.replace(/[\r\n]/g, ' ')));
          const n = notificationFor(firstRevision(withIssues(valid, issues)));
          expect(bytesOf(n)).toBeLessThan(SNS_LIMIT);
          const listed = n.message.split('\n').filter((l) => /^\d+\. \[/.test(l));
          const left = Number(/另有 (\d+) 项未列出/.exec(n.message)?.[1] ?? 0);
          expect(listed.length + left).toBe(issues.length);
          // Errors first: a listed warning means every error was listed.
          const errors = issues.filter((i) => i.severity === 'error').length;
          if (listed.some((l) => l.includes('[警告]'))) expect(listed.length).toBeGreaterThanOrEqual(errors);
        },
      ),
      { numRuns: 60 },
    );
  });
});
