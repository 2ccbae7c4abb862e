import { errnoCode } from '../../../functions/extract/index.ts';
import { type ServedDeps, serve } from '../../../local/serve.ts';
import { PASSWORD_ENV } from '../../../local/sign-in-client.ts';
import { untilStopped } from './output.ts';

/** `local --serve`: the upload API, the pages and their sign-in on localhost until Ctrl-C. */
export async function serveApi(deps: ServedDeps, port: number): Promise<number> {
  let started: Awaited<ReturnType<typeof serve>>;
  const fixed = process.env[PASSWORD_ENV];
  try {
    started = await serve(deps, port, fixed ? { password: fixed } : {});
  } catch (error) {
    if (errnoCode(error) !== 'EADDRINUSE') throw error;
    process.stderr.write(
      `report-pipeline local: port ${port} is in use (another --serve?): stop that, or pick one with --port N\n`,
    );
    return 2;
  }
  const { server, url, issuer, password } = started;
  const { agencies, offices } = deps.registry;
  process.stdout.write(
    `upload page and API: ${url}\n` +
      `supervisor page: ${url}/supervisor.html\n` +
      `sign-in (OpenID Connect): ${issuer}, accounts are the registry's ids:\n` +
      `${[...agencies, ...offices].map((a) => `  ${a.id}  ${a.name}`).join('\n')}\n` +
      `password for every account, this run: ${fixed ? `(from ${PASSWORD_ENV})` : password}\n`,
  );
  await untilStopped();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return 0;
}
