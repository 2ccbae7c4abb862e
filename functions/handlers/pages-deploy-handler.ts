import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { messageOf } from '../extract/errors.ts';
import { generatedPageFiles, PAGE_FILES, type PagesConfig, VENDOR_FILES } from '../pages/site.ts';
import { type Instruments, instrumented } from './observability.ts';
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
/** The SUCCESS answer to a custom resource event, for a resource of this physical id. */
export const answerTo = (
  event: CloudFormationCustomResourceEvent,
  physicalId: string,
): CustomResourceResponse => ({
  Status: 'SUCCESS',
  PhysicalResourceId: physicalId,
  StackId: event.StackId,
  RequestId: event.RequestId,
  LogicalResourceId: event.LogicalResourceId,
});

type Respond = (url: string, body: CustomResourceResponse) => Promise<void>;

export function createPagesDeployHandler(
  deps: Instruments & {
    site: SiteWriter;
    readPage: (name: string) => Promise<Uint8Array>;
    respond?: Respond;
  },
) {
  const publish = async (config: PagesConfig) => {
    for (const [name, type] of Object.entries(PAGE_FILES))
      await deps.site.put(name, await deps.readPage(name), type);
    for (const [name, { type }] of Object.entries(VENDOR_FILES))
      await deps.site.put(name, await deps.readPage(name), type);
    for (const [name, [type, body]] of Object.entries(generatedPageFiles(config)))
      await deps.site.put(name, body, type);
  };
  return instrumented(
    deps,
    async (event: CloudFormationCustomResourceEvent): Promise<CustomResourceResponse> => {
      const answer = answerTo(event, 'hosted-pages');
      try {
        if (event.RequestType !== 'Delete') {
          await publish(JSON.parse(String(event.ResourceProperties.Config)) as PagesConfig);
          deps.logger.info('pages published', {
            files: Object.keys(PAGE_FILES).length + Object.keys(VENDOR_FILES).length + 3,
          });
        }
      } catch (error) {
        deps.logger.error('pages not published', { error });
        answer.Status = 'FAILED';
        answer.Reason = messageOf(error).slice(0, 500);
      }
      await (deps.respond ?? putResponse)(event.ResponseURL, answer);
      return answer;
    },
  );
}
