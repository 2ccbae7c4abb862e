/**
 * Proof that a change altered no result: this tree and a base commit (default `main`) are run over every
 * fixture and a set of hostile files, and every output is compared byte for byte.
 *
 *   node bench/same-records.ts [REF]        (FIXTURES_DIR=… adds another fixture copy, e.g. ../shared/fixtures)
 *
 * Compared, per file: the `check --json` record of a batch over all files; the record of the file checked
 * alone (hostile files and a few fixtures) against the batch's, in both trees; the records under tight
 * budgets (`--max-mb`, `--max-pages`); and the document (or coded failure) the sandboxed extractor gives.
 * `check`'s records hold no timing field, so nothing is ignored; the comparison is of whole JSON lines.
 * The base is unpacked with `git archive` into a temporary folder beside this tree's node_modules.
 * Exit code 0 when everything is identical, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { reportTypeOf } from '../functions/pipeline/report-types.ts';
import { buildPdf, deflateRepeated } from '../test/support/pdf-writer.ts';
import { buildDocx, buildZip } from '../test/support/zip-writer.ts';

const HERE = path.join(import.meta.dirname, '..');
const ref = process.argv[2] ?? 'main';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && reportTypeOf(entry.name) !== null)
      out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** The file whose path ends so; the bench stops if a fixture it needs is gone. */
function findEnding(files: string[], suffix: string): string {
  const found = files.find((f) => f.endsWith(suffix));
  if (found === undefined) throw new Error(`no fixture ends with ${suffix}`);
  return found;
}

/** The record-like object a line of `check --json` holds. */
const RecordLine = z.looseObject({
  file: z.string(),
  status: z.string().optional(),
  failure: z.looseObject({ code: z.string().optional() }).nullable().optional(),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Files every budget and failure path sees: the hostile-file tests' own kinds, written to disk. */
function writeHostile(dir: string): string[] {
  const sample = filesUnder(path.join(HERE, 'test', 'fixtures', 'synthetic'));
  const pdf = findEnding(sample, '/cell-missing-denied-state-secret.pdf');
  const docx = findEnding(sample, '/cell-missing-denied-state-secret.docx');
  const read = (f: string): Buffer => readFileSync(f);
  let x = 0x9e3779b9;
  const noise = Uint8Array.from({ length: 4096 }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
  const hostile: Record<string, Uint8Array> = {
    'empty.txt': new Uint8Array(),
    'blank.txt': new TextEncoder().encode(' \n\t\r\n'),
    'noise.pdf': noise,
    'image.pdf': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...noise.subarray(0, 100)]),
    'sheet.docx': buildZip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]),
    'truncated.pdf': read(pdf).subarray(0, Math.floor(read(pdf).length * 0.4)),
    'truncated.docx': read(docx).subarray(0, 3000),
    'encrypted.pdf': buildPdf({
      pages: [{ runs: [{ text: '政府信息公开', x: 50, y: 700 }] }],
      encrypt: { userPassword: 'secret', ownerPassword: 'owner' },
    }),
    'permissions-only.pdf': buildPdf({
      pages: [{ runs: [{ text: '政府信息公开工作年度报告', x: 50, y: 700 }] }],
      encrypt: { userPassword: '', ownerPassword: 'owner' },
    }),
    'scan.pdf': buildPdf({ pages: [{ image: true }, { image: true }] }),
    'three-pages.pdf': buildPdf({
      pages: [1, 2, 3].map((n) => ({ runs: [{ text: `第${n}页`, x: 50, y: 700 }] })),
    }),
    'stream-bomb.pdf': buildPdf({
      pages: [
        { deflated: deflateRepeated('BT /F2 12 Tf 10 10 Td (AAAAAAAAAAAAAAAA) Tj ET\n', 300 * 1024 * 1024) },
      ],
    }),
    'zip-bomb.docx': buildDocx(
      ['x'],
      [{ name: 'word/media/big.bin', data: Buffer.alloc(300 * 1024 * 1024, 0x41) }],
    ),
  };
  return Object.entries(hostile).map(([name, bytes]) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  });
}

interface Outputs {
  batch: Map<string, string>;
  alone: Map<string, string>;
  tight: Map<string, string>;
  documents: Map<string, string>;
}

const node = process.execPath;
function lines(root: string, args: string[]): Map<string, string> {
  const out = spawnSync(node, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (out.error) throw out.error;
  const map = new Map<string, string>();
  for (const line of out.stdout.split('\n').filter(Boolean))
    map.set(RecordLine.parse(JSON.parse(line)).file, line);
  return map;
}

function run(root: string, all: string[], alone: string[], tight: string[]): Outputs {
  const cli = path.join(root, 'bin', 'report-pipeline.mjs');
  const batch = lines(root, [cli, 'check', '--json', ...all]);
  const single = new Map<string, string>();
  for (const file of alone)
    for (const [k, v] of lines(root, [cli, 'check', '--json', file])) single.set(k, v);
  const tightRecords = lines(root, [cli, 'check', '--json', '--max-mb', '0.1', '--max-pages', '2', ...tight]);
  const documents = lines(root, [path.join(HERE, 'bench', 'dump-documents.ts'), root, ...all]);
  return { batch, alone: single, tight: tightRecords, documents };
}

/** The first place two JSON texts differ, as a key path. */
function firstDifference(a: unknown, b: unknown, at = ''): string {
  if (!isObject(a) || !isObject(b)) {
    return JSON.stringify(a) === JSON.stringify(b)
      ? ''
      : `${at || '.'}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference(a[k], b[k], `${at}.${k}`);
    if (d) return d;
  }
  return '';
}

function compare(
  label: string,
  base: Map<string, string>,
  head: Map<string, string>,
  files: string[],
): number {
  let differing = 0;
  for (const file of files) {
    const a = base.get(file);
    const b = head.get(file);
    if (a !== undefined && a === b) continue;
    differing++;
    const where =
      a === undefined || b === undefined ? 'missing' : firstDifference(JSON.parse(a), JSON.parse(b));
    console.log(`  DIFFERS ${label} ${path.relative(HERE, file)}: ${where}`);
  }
  console.log(`${label}: ${files.length - differing} of ${files.length} identical`);
  return differing;
}

const work = mkdtempSync(path.join(tmpdir(), 'same-records-'));
try {
  const baseRoot = path.join(work, 'base');
  mkdirSync(baseRoot);
  const archive = spawnSync('sh', ['-c', `git -C '${HERE}' archive '${ref}' | tar -x -C '${baseRoot}'`]);
  if (archive.status !== 0) throw new Error(`cannot unpack ${ref}: ${archive.stderr}`);
  symlinkSync(path.join(HERE, 'node_modules'), path.join(baseRoot, 'node_modules'));
  const hostileDir = path.join(work, 'hostile');
  mkdirSync(hostileDir);
  const hostile = writeHostile(hostileDir);
  const groups = [path.join(HERE, 'test', 'fixtures')];
  if (process.env.FIXTURES_DIR && statSync(process.env.FIXTURES_DIR).isDirectory())
    groups.push(process.env.FIXTURES_DIR);
  const fixtures = groups.flatMap(filesUnder);
  const all = [...fixtures, ...hostile];
  const pick = (suffix: string): string => findEnding(fixtures, suffix);
  const alone = [
    ...hostile,
    pick('synthetic/cell-missing-denied-state-secret.pdf'),
    pick('synthetic/cell-missing-denied-state-secret.docx'),
    pick('real/hongze-2023.pdf'),
  ];
  const tight = [
    ...hostile,
    pick('synthetic/cell-missing-denied-state-secret.pdf'),
    pick('synthetic/cell-missing-other-no-correction.txt'),
  ];
  console.log(`${fixtures.length} fixtures and ${hostile.length} hostile files; base ${ref}, head ${HERE}`);

  const base = run(baseRoot, all, alone, tight);
  const head = run(HERE, all, alone, tight);
  let differing = 0;
  differing += compare('check --json, batch (base vs head)', base.batch, head.batch, all);
  differing += compare('check --json, each alone (base vs head)', base.alone, head.alone, alone);
  differing += compare('check --json, alone vs batch (head)', head.batch, head.alone, alone);
  differing += compare('check --json, tight budgets (base vs head)', base.tight, head.tight, tight);
  differing += compare('extracted documents (base vs head)', base.documents, head.documents, all);
  const codes = new Map<string, number>();
  for (const line of head.batch.values()) {
    const record = RecordLine.parse(JSON.parse(line));
    const key = record.failure?.code ?? record.status ?? '?';
    codes.set(key, (codes.get(key) ?? 0) + 1);
  }
  console.log(`head's verdicts: ${[...codes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(
    differing === 0
      ? 'SAME: every record and document is identical'
      : `DIFFERENT: ${differing} outputs differ`,
  );
  process.exitCode = differing === 0 ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
