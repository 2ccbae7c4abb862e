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
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
