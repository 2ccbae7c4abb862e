import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, shippedSources } from '../../scripts/count-casts.ts';

/**
 * Every error class of the shipped code sets its `name`, so a log line or a stack trace says which error it
 * is (`UsageError: …`, not `Error: …`). The classes are found in the source, not listed by hand: a new one
 * without a name fails here.
 */
interface ErrorClass {
  file: string;
  name: string;
}

function errorClasses(): ErrorClass[] {
  const found: ErrorClass[] = [];
  for (const file of shippedSources()) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    if (!/extends \w*Error\b/.test(text)) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    for (const node of sf.statements) {
      if (!ts.isClassDeclaration(node) || node.name === undefined) continue;
      const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      if (base !== undefined && /^\w*Error$/.test(base.expression.getText(sf))) {
        found.push({ file, name: node.name.text });
      }
    }
  }
  return found;
}

describe('error classes', () => {
  const classes = errorClasses();

  it('are found in the shipped code', () => {
    expect(classes.length).toBeGreaterThanOrEqual(13);
  });

  it.each(classes.map((c) => [c.name, c.file] as const))('%s (%s) names itself', async (name, file) => {
    const mod: Record<string, unknown> = await import(path.join(ROOT, file));
    const cls = mod[name];
    expect(typeof cls).toBe('function');
    // Constructed with placeholder arguments: the constructors take a message, a code or a list.
    const error: unknown = Reflect.construct(cls as new (...args: unknown[]) => unknown, [[], '']);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe(name);
    expect(String(error)).toMatch(new RegExp(`^${name}\\b`));
  });
});
