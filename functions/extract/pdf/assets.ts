import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where pdf.js finds its predefined CJK CMaps and standard font data. Without them Chinese text in a
 * non-embedded font (STSong-Light + UniGB-UCS2-H) silently extracts as nothing, so the folder must exist.
 *
 * Order: an explicit directory, PDFJS_ASSETS_DIR, a `pdfjs/` folder beside this module (how the Lambda
 * bundle ships them), then the installed pdfjs-dist package.
 */
export interface PdfjsAssets {
  cMapUrl: string;
  standardFontDataUrl: string;
  wasmUrl: string;
}

const withSlash = (dir: string): string => (dir.endsWith(path.sep) ? dir : dir + path.sep);

function fromRoot(root: string): PdfjsAssets | null {
  if (!existsSync(path.join(root, 'cmaps', 'UniGB-UCS2-H.bcmap'))) return null;
  return {
    cMapUrl: withSlash(path.join(root, 'cmaps')),
    standardFontDataUrl: withSlash(path.join(root, 'standard_fonts')),
    wasmUrl: withSlash(path.join(root, 'wasm')),
  };
}

let cached: PdfjsAssets | undefined;

export function pdfjsAssets(explicitDir?: string): PdfjsAssets {
  if (explicitDir) {
    const assets = fromRoot(explicitDir);
    if (!assets)
      throw new Error(`pdf.js assets not found in ${explicitDir} (expected cmaps/ and standard_fonts/)`);
    return assets;
  }
  if (cached) return cached;
  const candidates: string[] = [];
  if (process.env.PDFJS_ASSETS_DIR) candidates.push(process.env.PDFJS_ASSETS_DIR);
  candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), 'pdfjs'));
  try {
    const require = createRequire(import.meta.url);
    candidates.push(path.dirname(require.resolve('pdfjs-dist/package.json')));
  } catch {
    // Not installed as a package: the bundle case, covered by the folder beside the module.
  }
  for (const dir of candidates) {
    const assets = fromRoot(dir);
    if (assets) {
      cached = assets;
      return assets;
    }
  }
  throw new Error(`pdf.js CMaps and standard fonts not found; looked in ${candidates.join(', ')}`);
}
