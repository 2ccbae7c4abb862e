#!/usr/bin/env node
// Entry shim: the CLI is TypeScript run by Node's own type stripping (Node >= 22.18; the project pins 24).
// Checking first turns a cryptic loader error on an old global Node into a clear message.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `report-pipeline needs Node.js 24 (found ${process.version}). Run it through npm in the project ` +
      '(npx report-pipeline …, npm start), which puts the pinned Node 24 first on the PATH.\n',
  );
  process.exit(2);
}
// Compiled code (and type-stripped TypeScript) is cached on disk, so a second start skips both. Worker
// processes (the extraction pool) inherit it through NODE_COMPILE_CACHE, which Node reads at their start.
const { enableCompileCache } = await import('node:module');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'report-pipeline-compile-cache');
enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
