import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { expect, it } from 'vitest';
import { createPagesDeployHandler } from '../../functions/handlers/pages-deploy-handler.ts';
import { PAGE_FILES, VENDOR_FILES } from '../../functions/pages/site.ts';
import { bundlingFor, REPO_ROOT } from '../../lib/bundling.ts';

/** The pages' function bundle as the stack builds it: its bundling's own commands, run into a folder. */
function bundledWeb(): string {
  const out = mkdtempSync(path.join(tmpdir(), 'pages-bundle-'));
  const hooks = bundlingFor('node24', { pages: true }).commandHooks;
  for (const command of hooks?.afterBundling(REPO_ROOT, out) ?? []) execSync(command, { stdio: 'pipe' });
  return path.join(out, 'web');
}
const WEB = bundledWeb();
const PUBLISHED = [...Object.keys(PAGE_FILES), ...Object.keys(VENDOR_FILES)];

/** The pages' publication (a custom resource): the files of local/web and the generated JSON, then the answer. */
const event = (config: unknown) =>
  ({
    RequestType: 'Create',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/x',
    StackId: 'arn:aws-cn:cloudformation:cn-north-1:1:stack/S/1',
    RequestId: 'r-1',
    LogicalResourceId: 'PagesPublished',
    ResourceType: 'Custom::HostedPages',
    ServiceToken: 'arn:aws-cn:lambda:cn-north-1:1:function:P',
    ResourceProperties: { ServiceToken: 'x', Config: JSON.stringify(config) },
  }) as CloudFormationCustomResourceEvent;

it('publishes every page with its type, config.json as given, and answers SUCCESS; a bad config answers FAILED', async () => {
  const written = new Map<string, [string, string]>();
  const answers: string[] = [];
  const handler = createPagesDeployHandler({
    site: {
      put: async (key, body, type) => void written.set(key, [type, Buffer.from(body).toString('utf8')]),
    },
    readPage: (name) => readFile(path.join(WEB, name)),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    respond: async (_url, body) => void answers.push(body.Status),
  });
  const config = {
    apiUrl: '',
    issuer: 'https://idp.example.gov.cn',
    clientId: 'c',
    claims: { agency: 'a', office: 'o', groups: 'g' },
  };
  await handler(event(config));
  expect([...written.keys()].sort()).toEqual(
    [...PUBLISHED, 'config.json', 'report-types.json', 'template-vocabulary.json'].sort(),
  );
  expect(written.get('index.html')?.[0]).toBe('text/html; charset=utf-8');
  expect(JSON.parse(written.get('config.json')?.[1] ?? '')).toEqual(config);
  const failing = {
    ...event(config),
    ResourceProperties: { ServiceToken: 'x', Config: '{not json' },
  } as CloudFormationCustomResourceEvent;
  await handler(failing);
  expect(answers).toEqual(['SUCCESS', 'FAILED']);
});

it('every module a published page imports is published too (a page must not load what the site lacks)', () => {
  const missing: string[] = [];
  for (const name of Object.keys(PAGE_FILES)) {
    if (!/\.(js|html)$/.test(name)) continue;
    const text = readFileSync(path.join(WEB, name), 'utf8');
    const specifiers = [...text.matchAll(/\bimport\s*(?:[^'"()]*?\sfrom\s*)?\(?\s*['"]([^'"]+)['"]/g)].map(
      (m) => m[1] ?? '',
    );
    for (const spec of specifiers) {
      const target = spec.replace(/^\.?\//, '');
      if (!PUBLISHED.includes(target)) missing.push(`${name} imports ${spec}`);
    }
  }
  expect(missing).toEqual([]);
  expect(PUBLISHED.length).toBeGreaterThan(7);
});
