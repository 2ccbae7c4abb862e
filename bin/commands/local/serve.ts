import { errnoCode } from '../../../functions/extract/index.ts';
import { devOfficeToken, devToken, type ServedDeps, serve } from '../../../local/serve.ts';
import { untilStopped } from './output.ts';

/** `local --serve`: the upload API and web page on localhost until Ctrl-C. */
export async function serveApi(deps: ServedDeps, port: number): Promise<number> {
  let started: Awaited<ReturnType<typeof serve>>;
  try {
    started = await serve(deps, port);
  } catch (error) {
    if (errnoCode(error) !== 'EADDRINUSE') throw error;
    process.stderr.write(
      `report-pipeline local: port ${port} is in use (another --serve?): stop that, or pick one with --port N\n`,
    );
    return 2;
  }
  const { server, url } = started;
  const { agencies, offices } = deps.registry;
  process.stdout.write(
    `upload page and API: ${url}\n` +
      `development tokens (Authorization: Bearer …):\n${agencies
        .map((a) => `  ${devToken(a.id)}  ${a.name}`)
        .join('\n')}\n` +
      `supervisor page: ${url}/supervisor.html, with a supervisor's token:\n${offices
        .map((o) => `  ${devOfficeToken(o.id)}  ${o.name}`)
        .join('\n')}\n` +
      `e.g. npx report-pipeline upload report.pdf --api ${url} --token ${devToken(agencies[0]?.id ?? 'agency')}\n`,
  );
  await untilStopped();
  await new Promise((resolve) => server.close(resolve));
  return 0;
}
