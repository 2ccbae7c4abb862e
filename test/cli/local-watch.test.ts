import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, startLocal } from './local-run.ts';

/**
 * `local --watch DIR` as a clerk uses it: files already in the folder are processed on start, a file
 * copied slowly is read once it stops growing, Word's lock files are ignored, an unreadable type still
 * gets its record, and a file dropped at the top (no agency folder) is reported, not filed under the
 * folder's own name.
 */
const fixture = (name: string) => path.join(import.meta.dirname, '..', 'fixtures', name);

describe('report-pipeline local --watch', () => {
  it('processes files present at start, waits for a growing file, ignores lock files, refuses a root file', async () => {
    // The folder is named like an agency: a file at its top must still not be filed under that name.
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'rp-watch-')), 'huaian-gov');
    mkdirSync(path.join(dir, 'huaian-gov'), { recursive: true });
    copyFileSync(fixture('real/huaian-2024.pdf'), path.join(dir, 'huaian-gov', '早到.pdf'));
    const watching = startLocal(['--memory', '--json', '--watch', dir]);
    try {
      const lines = () => jsonLines(watching.out.stdout);
      expect(await watching.until(() => lines().length >= 1, 60_000)).toBe(true);
      expect(lines()[0]).toMatchObject({ status: 'VALID', upload: { key: 'incoming/huaian-gov/早到.pdf' } });

      writeFileSync(path.join(dir, 'huaian-gov', '~$年报.docx'), Buffer.alloc(162, 0));
      writeFileSync(
        path.join(dir, '根目录.txt'),
        readFileSync(fixture('synthetic/clean-single-request.txt')),
      );
      // Half the PDF, a pause longer than any quiet period a watcher may use, then the rest.
      const pdf = readFileSync(fixture('real/huaian-2024.pdf'));
      const slow = path.join(dir, 'huaian-gov', '慢.pdf');
      const handle = openSync(slow, 'w');
      writeSync(handle, pdf.subarray(0, pdf.length >> 1));
      await new Promise((r) => setTimeout(r, 1200));
      writeSync(handle, pdf.subarray(pdf.length >> 1));
      closeSync(handle);
      writeFileSync(
        path.join(dir, 'huaian-gov', '表.xlsx'),
        Buffer.from('PK\u0003\u0004not really a workbook'),
      );

      expect(await watching.until(() => lines().length >= 3, 60_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 1500));
      const byName = new Map(lines().map((l) => [path.basename(l.file), l]));
      expect([...byName.keys()].sort()).toEqual(['早到.pdf', '慢.pdf', '表.xlsx'].sort());
      expect(byName.get('慢.pdf')).toMatchObject({ status: 'VALID' });
      expect(byName.get('表.xlsx')?.status).toBe('FAILED');
      expect(watching.out.stderr).toContain(`cannot tell the agency of ${path.join(dir, '根目录.txt')}`);
    } finally {
      watching.child.kill('SIGINT');
      expect(await watching.exited).toBe(0);
    }
  }, 150_000);
});
