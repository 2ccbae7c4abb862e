import { createRequire } from 'node:module';
import path from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PAGE_FILES, VENDOR_FILES } from '../functions/pages/site.ts';

/**
 * How the Lambda code is bundled: by the local esbuild (a devDependency, so no Docker), as ESM for Node 24.
 * The AWS SDK is bundled at the versions the tests ran with rather than taken from the runtime.
 */
export const REPO_ROOT = path.join(import.meta.dirname, '..');

// ESM bundles of CommonJS dependencies (mammoth, the SDK's bits) still call require().
const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** What a bundle carries besides its handler. */
export interface BundleExtras {
  /** pdf.js's CMaps, fonts and wasm, and the sandbox worker (the extract function). */
  pdfAssets?: boolean;
  /** The pages of local/web under `web/` (the pages' publication). */
  pages?: boolean;
  /** The registry file bundled where functions import `#registry` (default: the committed sample). */
  registryFile?: string;
}

/** A vendored file's path relative to the repository (where the package's main module lies). */
function vendorSource(pkg: string, file: string): string {
  const main = createRequire(import.meta.url).resolve(pkg);
  return path.relative(REPO_ROOT, path.join(path.dirname(main), file));
}

/**
 * The options of a bundle for an esbuild target (`node24`, `node22`: the runtime's Node). The extract
 * function also ships what pdf.js loads from disk and the sandbox's worker thread entry:
 * `pdfjs/{cmaps,standard_fonts,wasm}` (without the predefined CMaps, Chinese text in a non-embedded font
 * extracts as nothing) and `sandbox-worker.mjs` beside `index.mjs`, where functions/extract finds them.
 * `#registry` (package.json `imports`) is aliased to the deployment's registry file, so every function
 * holds the registry the stack was synthesized from.
 */
export function bundlingFor(target: string, extras: BundleExtras = {}): BundlingOptions {
  const after = (inputDir: string, outputDir: string): string[] => {
    const pdfjs = `${inputDir}/node_modules/pdfjs-dist`;
    return [
      ...(extras.pdfAssets
        ? [
            `mkdir -p "${outputDir}/pdfjs"`,
            `cp -R "${pdfjs}/cmaps" "${pdfjs}/standard_fonts" "${pdfjs}/wasm" "${outputDir}/pdfjs/"`,
            [
              `"${inputDir}/node_modules/.bin/esbuild" "${inputDir}/functions/extract/sandbox-worker.ts"`,
              `--bundle --platform=node --format=esm --target=${target} --minify`,
              `--banner:js="${REQUIRE_SHIM}"`,
              `--outfile="${outputDir}/sandbox-worker.mjs"`,
            ].join(' '),
          ]
        : []),
      ...(extras.pages
        ? [
            `mkdir -p "${outputDir}/web/vendor"`,
            ...Object.keys(PAGE_FILES).map(
              (name) => `cp "${inputDir}/local/web/${name}" "${outputDir}/web/"`,
            ),
            ...Object.entries(VENDOR_FILES).map(
              ([name, v]) => `cp "${inputDir}/${vendorSource(v.pkg, v.file)}" "${outputDir}/web/${name}"`,
            ),
          ]
        : []),
    ];
  };
  const hooks = extras.pdfAssets || extras.pages;
  return {
    format: OutputFormat.ESM,
    target,
    mainFields: ['module', 'main'],
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    banner: REQUIRE_SHIM,
    externalModules: [],
    ...(extras.registryFile === undefined
      ? {}
      : { esbuildArgs: { '--alias:#registry': extras.registryFile } }),
    ...(hooks
      ? { commandHooks: { beforeBundling: () => [], beforeInstall: () => [], afterBundling: after } }
      : {}),
  };
}
export const commonBundling: BundlingOptions = bundlingFor('node24');
