import { reportTypesForPage } from '../pipeline/report-types.ts';
import { pageVocabulary } from '../report/page-vocabulary.ts';

/**
 * The pages as hosted on AWS (lib/constructs/hosted-pages.ts): the files of local/web, the two JSON files
 * `local --serve` computes (report types, template vocabulary) and `config.json`, what the pages read to
 * find the API and sign in. One list, so the hosted site and the local server serve the same things.
 */
export const PAGE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'supervisor.html': 'text/html; charset=utf-8',
  'supervisor.js': 'text/javascript; charset=utf-8',
  'report-view.js': 'text/javascript; charset=utf-8',
  'report-view.css': 'text/css; charset=utf-8',
  'escape.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'sign-in.js': 'text/javascript; charset=utf-8',
};

/**
 * Files of installed packages the pages load, by the path they are served under (no CDN: a page fetches
 * nothing from the internet): the package's file, relative to the file `require.resolve` names for it.
 */
export const VENDOR_FILES: Readonly<Record<string, { type: string; pkg: string; file: string }>> = {
  'vendor/echarts.esm.min.mjs': {
    type: 'text/javascript; charset=utf-8',
    pkg: 'echarts',
    file: 'echarts.esm.min.mjs',
  },
};

/**
 * `config.json`: where the API is (empty: the pages' own origin, through CloudFront) and the OpenID
 * Connect issuer and client the pages sign in with, with the claim names that carry the caller.
 */
export interface PagesConfig {
  apiUrl: string;
  issuer: string;
  clientId: string;
  claims: { agency: string; office: string; groups: string };
}

/** The generated files: name → [content type, body]. */
export function generatedPageFiles(config: PagesConfig): Record<string, [string, string]> {
  const json = 'application/json; charset=utf-8';
  return {
    'config.json': [json, JSON.stringify(config)],
    'report-types.json': [json, JSON.stringify(reportTypesForPage())],
    'template-vocabulary.json': [json, JSON.stringify(pageVocabulary())],
  };
}
