import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * pdf.js is loaded for text only: the canvas package its legacy build would pull in at import (a native
 * addon, a tenth of a worker's start-up) stays out, as it is out of the Lambda bundle, until something
 * that renders asks for it. Each case runs in a fresh process, whose own memory map says what was loaded.
 */
const pdfModule = path.join(import.meta.dirname, '..', '..', 'functions', 'extract', 'pdf', 'pdf.ts');

function inFreshProcess(body: string): { out: Record<string, unknown>; stderr: string } {
  const script = `
    import { readFileSync } from 'node:fs';
    const { loadPdfJs, polyfillRendering } = await import(${JSON.stringify(pdfModule)});
    const canvasMapped = () => readFileSync('/proc/self/maps', 'utf8').includes('skia');
    const out = {};
    ${body}
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`fresh process failed: ${run.stderr}`);
  return { out: JSON.parse(run.stdout) as Record<string, unknown>, stderr: run.stderr };
}

describe('loading pdf.js', () => {
  it('leaves the canvas addon unloaded and prints no warning about it', () => {
    const { out, stderr } = inFreshProcess(`
      const pdfjs = await loadPdfJs();
      out.version = pdfjs.version;
      out.canvas = canvasMapped();
      out.domMatrix = typeof globalThis.DOMMatrix;`);
    expect(out.version).toMatch(/^\d+\./);
    expect(out.canvas).toBe(false);
    expect(out.domMatrix).toBe('undefined');
    expect(stderr).toBe('');
  });

  it('polyfillRendering loads it afterwards and sets what pdf.js would have set for rendering', () => {
    const { out } = inFreshProcess(`
      await loadPdfJs();
      await polyfillRendering();
      out.canvas = canvasMapped();
      out.domMatrix = typeof globalThis.DOMMatrix;
      out.path2d = typeof globalThis.Path2D;`);
    expect(out).toEqual({ canvas: true, domMatrix: 'function', path2d: 'function' });
  });
});
