import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { expect, it } from 'vitest';
import { createPagesDeployHandler } from '../../functions/handlers/pages-deploy-handler.ts';
import { PAGE_FILES } from '../../functions/pages/site.ts';

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
    readPage: (name) => readFile(path.join(import.meta.dirname, '../../local/web', name)),
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
    [...Object.keys(PAGE_FILES), 'config.json', 'report-types.json', 'template-vocabulary.json'].sort(),
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
