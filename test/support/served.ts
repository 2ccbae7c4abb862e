import { LocalPipeline } from '../../local/local-pipeline.ts';
import { type Served, serve } from '../../local/serve.ts';
import { tokens } from './sign-in.ts';

/**
 * The local pipeline with its API, pages and sign-in served on a random port (what `local --serve`
 * runs). `token(id)` signs in as a registry agency or office through the local provider (sign-in.ts).
 */
export async function startServed(): Promise<{
  pipeline: LocalPipeline;
  url: string;
  served: Served;
  token: (account: string) => Promise<string>;
  stop: () => Promise<void>;
}> {
  const pipeline = await LocalPipeline.start({ dir: null });
  const served = await serve(pipeline.deps, 0);
  return {
    pipeline,
    url: served.url,
    served,
    token: tokens(() => served),
    stop: async () => {
      served.server.closeAllConnections();
      await new Promise<void>((resolve) => served.server.close(() => resolve()));
      await pipeline.stop();
    },
  };
}
