import path from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How the Lambda code is bundled: by the local esbuild (a devDependency, so no Docker), as ESM for Node 24.
 * The AWS SDK is bundled at the versions the tests ran with rather than taken from the runtime.
 */
export const REPO_ROOT = path.join(import.meta.dirname, '..');

export const OCR_NATIVE_MODULES = ['onnxruntime-node', '@napi-rs/canvas'] as const;

// ESM bundles of CommonJS dependencies (mammoth, the SDK's bits) still call require().
export const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export const commonBundling: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  banner: REQUIRE_SHIM,
  // Native packages only the OCR worker loads (issue 24; lib/constructs/ocr-function.ts ships them): never
  // bundled, and absent from every other function, which never loads them.
  externalModules: [...OCR_NATIVE_MODULES],
};

/**
 * The extract function also ships what pdf.js loads from disk and the sandbox's worker thread entry:
 * `pdfjs/{cmaps,standard_fonts,wasm}` (without the predefined CMaps, Chinese text in a non-embedded font
 * extracts as nothing) and `sandbox-worker.mjs` beside `index.mjs`, where functions/extract finds them.
 */
export const extractBundling: BundlingOptions = {
  ...commonBundling,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string): string[] => {
      const pdfjs = `${inputDir}/node_modules/pdfjs-dist`;
      return [
        `mkdir -p "${outputDir}/pdfjs"`,
        `cp -R "${pdfjs}/cmaps" "${pdfjs}/standard_fonts" "${pdfjs}/wasm" "${outputDir}/pdfjs/"`,
        [
          `"${inputDir}/node_modules/.bin/esbuild" "${inputDir}/functions/extract/sandbox-worker.ts"`,
          '--bundle --platform=node --format=esm --target=node24 --minify',
          ...OCR_NATIVE_MODULES.map((m) => `--external:${m}`),
          `--banner:js="${REQUIRE_SHIM}"`,
          `--outfile="${outputDir}/sandbox-worker.mjs"`,
        ].join(' '),
      ];
    },
  },
};
