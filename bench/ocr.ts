/**
 * OCR of scanned reports (issue 24): seconds per page, table pages and text pages apart, and peak memory,
 * per scan resolution; and the accuracy sweep over every scan (shared and our own): numbers exact,
 * flagged as doubtful, or wrong (taken as read: must be 0), defects found, errors on sound reports.
 *
 * Each resolution group runs in a child process of its own pinned to one core (`taskset -c 0` where it
 * exists), so its peak resident memory (VmHWM) is that group's and its time is one core's.
 *
 *   node bench/ocr.ts                 # all groups (npm run bench runs this)
 *   BENCH_OCR_LIMIT=2 node bench/ocr.ts   # the first two scans of each group
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { extractDocument } from '../functions/extract/extract.ts';
import type { OcrPageStats } from '../functions/extract/ocr/ocr-pages.ts';
import { checkDocument } from '../functions/report/index.ts';
import { cellOutcomes, issueOutcome, listScans } from '../test/ocr/accuracy.ts';

interface DocResult {
  name: string;
  pages: OcrPageStats[];
  exact: number;
  flagged: number;
  wrong: string[];
  found: number;
  expected: number;
  falseErrors: string[];
  peakMb: number;
}

function peakMb(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
  return kb === undefined ? Math.round(process.memoryUsage().rss / 1e6) : Math.round(Number(kb) / 1024);
}

/** Child: one group of scans, results as JSON lines on stdout. */
async function runGroup(names: string[]): Promise<void> {
  const scans = listScans().filter((s) => names.includes(s.name));
  for (const scan of scans) {
    const bytes = new Uint8Array(readFileSync(scan.path));
    const pages: OcrPageStats[] = [];
    const doc = await extractDocument(bytes, {}, { onOcrPage: (p) => pages.push(p) });
    const record = checkDocument({ file: scan.name, bytes }, doc);
    const cells = cellOutcomes(record, scan.truth);
    const issues = issueOutcome(record, scan.truth);
    const result: DocResult = {
      name: scan.name,
      pages,
      exact: cells.filter((c) => c.outcome === 'exact').length,
      flagged: cells.filter((c) => c.outcome === 'flagged').length,
      wrong: cells.filter((c) => c.outcome === 'wrong').map((c) => `${c.key}: ${c.read} (truth ${c.truth})`),
      ...issues,
      peakMb: peakMb(),
    };
    console.log(JSON.stringify(result));
  }
}

const dpiOf = (name: string): number => {
  const m = /(\d+)dpi/.exec(name);
  return m ? Number(m[1]) : 0;
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] ?? 0);
};

export async function benchOcr(): Promise<void> {
  const limit = Number(process.env.BENCH_OCR_LIMIT ?? Number.POSITIVE_INFINITY);
  const scans = listScans();
  // Group by the resolution the scan was made at; the shared ones are 150–200 dpi and report it per page.
  const groups = new Map<string, string[]>();
  for (const s of scans) {
    const key = dpiOf(s.name) || 0;
    const label = key === 0 ? '150–200 dpi' : `${key} dpi`;
    const list = groups.get(label) ?? [];
    if (list.length < limit) list.push(s.name);
    groups.set(label, list);
  }
  let taskset = false;
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    taskset = true;
  } catch {
    // No taskset: the child runs unpinned (its ONNX Runtime session uses one thread anyway).
  }
  const results: Array<DocResult & { group: string }> = [];
  const load = loadavg();
  for (const [group, names] of groups) {
    const args = [process.execPath, import.meta.filename, '--group', JSON.stringify(names)];
    const child = taskset
      ? spawnSync('taskset', ['-c', '0', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      : spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`OCR bench group ${group} failed: ${child.stderr}`);
    for (const line of child.stdout.split('\n'))
      if (line.startsWith('{')) results.push({ ...JSON.parse(line), group });
  }
  const loadAfter = loadavg();
  console.log(
    `\n## OCR of scanned reports (one core${taskset ? ', taskset -c 0' : ''}; load average ${load[0]?.toFixed(1)} before, ${loadAfter[0]?.toFixed(1)} after)`,
  );
  console.log(
    '| scans | table pages: s/page (CPU, median) | text pages: s/page (CPU, median) | wall ÷ CPU | peak RSS |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const group of groups.keys()) {
    const mine = results.filter((r) => r.group === group);
    const pages = mine.flatMap((r) => r.pages);
    const cpu = (table: boolean) => median(pages.filter((p) => p.table === table).map((p) => p.cpuMs / 1000));
    const wall =
      pages.reduce((s, p) => s + p.wallMs, 0) /
      Math.max(
        1,
        pages.reduce((s, p) => s + p.cpuMs, 0),
      );
    const dpis = [...new Set(pages.map((p) => p.dpi))].sort((a, b) => a - b);
    console.log(
      `| ${group} (${mine.length} files, ${pages.length} pages; scanned at ${dpis.join('/')} dpi) | ${cpu(true).toFixed(2)} | ${cpu(false).toFixed(2)} | ${wall.toFixed(2)} | ${Math.max(...mine.map((r) => r.peakMb))} MB |`,
    );
  }
  console.log(
    '\n| scan | exact | flagged | wrong (taken as read) | defects found | errors the truth does not allow |',
  );
  console.log('|---|---:|---:|---:|---:|---|');
  let exact = 0;
  let flagged = 0;
  let wrong = 0;
  let found = 0;
  let expected = 0;
  for (const r of results) {
    exact += r.exact;
    flagged += r.flagged;
    wrong += r.wrong.length;
    found += r.found;
    expected += r.expected;
    console.log(
      `| ${r.name} | ${r.exact} | ${r.flagged} | ${r.wrong.length}${r.wrong.length ? ` (${r.wrong.join('; ')})` : ''} | ${r.found}/${r.expected} | ${r.falseErrors.join(', ')} |`,
    );
  }
  const total = exact + flagged + wrong;
  console.log(
    `| **all ${results.length}** | ${exact} (${((100 * exact) / total).toFixed(1)} %) | ${flagged} | ${wrong} | ${found}/${expected} | ${results.filter((r) => r.expected === 0 && r.falseErrors.length > 0).length} sound reports with an error |`,
  );
}

if (process.argv[2] === '--group') await runGroup(JSON.parse(process.argv[3] ?? '[]') as string[]);
else if (process.argv[1] === import.meta.filename) await benchOcr();
