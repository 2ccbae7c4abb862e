import { LocalPipeline } from '../../local/local-pipeline.ts';
import { serve } from '../../local/serve.ts';

/** The local pipeline with its API and page served on a random port (what `local --serve` runs). */
export async function startServed(): Promise<{
  pipeline: LocalPipeline;
  url: string;
  stop: () => Promise<void>;
}> {
  const pipeline = await LocalPipeline.start({ dir: null });
  const served = await serve(pipeline.deps, 0);
  return {
    pipeline,
    url: served.url,
    stop: async () => {
      await new Promise<void>((resolve) => served.server.close(() => resolve()));
      await pipeline.stop();
    },
  };
}
