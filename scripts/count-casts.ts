import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Counts the type assertions in the shipped code: every `x as T` and `<T>x` outside test/, except
 * `as const` (which asserts nothing about a value's type). A cast is a claim the compiler cannot check, so
 * the number is kept down by a test (test/codebase/casts.test.ts) and printed by `node scripts/count-casts.ts`
 * (add `--list` for each one's place).
 */
export const ROOT = path.join(import.meta.dirname, '..');

export interface Cast {
  file: string;
  line: number;
  text: string;
}

/** The TypeScript files git tracks, tests excluded. */
export function shippedSources(root = ROOT): string[] {
  return execFileSync('git', ['ls-files', '*.ts', '*.mts', '*.cts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && !f.startsWith('test/') && !f.endsWith('.d.ts'));
}

const isConstAssertion = (type: ts.TypeNode) =>
  ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'const';

export function castsIn(file: string, source: string): Cast[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Cast[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && !isConstAssertion(node.type)) {
      const { line } = sf.getLineAndCharacterOfPosition(node.type.getStart(sf));
      found.push({ file, line: line + 1, text: node.type.getText(sf) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export function countCasts(root = ROOT): Cast[] {
  return shippedSources(root).flatMap((file) => castsIn(file, readFileSync(path.join(root, file), 'utf8')));
}

if (import.meta.main) {
  const casts = countCasts();
  if (process.argv.includes('--list')) {
    for (const c of casts) process.stdout.write(`${c.file}:${c.line}\tas ${c.text}\n`);
  }
  const byFolder = new Map<string, number>();
  for (const c of casts) {
    const folder = c.file
      .split('/')
      .slice(0, c.file.startsWith('functions/') ? 2 : 1)
      .join('/');
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + 1);
  }
  for (const [folder, n] of [...byFolder].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`${String(n).padStart(4)}  ${folder}\n`);
  }
  process.stdout.write(`${String(casts.length).padStart(4)}  casts outside test/ (as const excluded)\n`);
}
