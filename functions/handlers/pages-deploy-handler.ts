import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { generatedPageFiles, PAGE_FILES, type PagesConfig } from '../pages/site.ts';
import { type CustomResourceResponse, putResponse } from './topic-sync-handler.ts';

/** Where the pages go: one object each, with its type; every page revalidates (no hashed names). */
export interface SiteWriter {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
}

/**
 * The custom resource that publishes the pages into their bucket on each deploy: the files of local/web
 * (bundled beside the handler) and the generated JSON, config.json from the resource's properties (the
 * API URL and the issuer are deploy-time values). Delete leaves the bucket's objects (the bucket is
 * retained with the stack's data; docs/deploy.md says how to empty it).
 */
export function createPagesDeployHandler(deps: {
  site: SiteWriter;
  readPage: (name: string) => Promise<Uint8Array>;
  logger: Logger;
  respond?: (url: string, body: CustomResourceResponse) => Promise<void>;
}) {
  const respond = deps.respond ?? putResponse;
  return async (
    event: CloudFormationCustomResourceEvent,
    context?: Context,
  ): Promise<CustomResourceResponse> => {
    if (context !== undefined) deps.logger.addContext(context);
    const answer: CustomResourceResponse = {
      Status: 'SUCCESS',
      PhysicalResourceId: 'hosted-pages',
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
    try {
      if (event.RequestType !== 'Delete') {
        const config = JSON.parse(String(event.ResourceProperties.Config)) as PagesConfig;
        for (const [name, type] of Object.entries(PAGE_FILES))
          await deps.site.put(name, await deps.readPage(name), type);
        for (const [name, [type, body]] of Object.entries(generatedPageFiles(config))) {
          await deps.site.put(name, body, type);
        }
        deps.logger.info('pages published', { files: Object.keys(PAGE_FILES).length + 3 });
      }
    } catch (error) {
      deps.logger.error('pages not published', { error: error as Error });
      answer.Status = 'FAILED';
      answer.Reason = (error as Error).message.slice(0, 500);
    }
    await respond(event.ResponseURL, answer);
    return answer;
  };
}
