import { type ChildProcess, spawn } from 'node:child_process';
import { bin, type Finished, runCli } from '../support/cli.ts';

/** `report-pipeline local` as a separate process, for the CLI tests: run to the end, or start and drive. */
export { bin, type Finished };

export const runLocal = (args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Finished> =>
  runCli(['local', ...args], env);

/** A running `local` whose output is collected as it comes. */
export interface Running {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  until: (test: () => boolean, ms?: number) => Promise<boolean>;
  exited: Promise<number | null>;
}

export function startLocal(args: string[]): Running {
  const child = spawn(process.execPath, [bin, 'local', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d) => {
    out.stdout += d;
  });
  child.stderr?.on('data', (d) => {
    out.stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const until = async (test: () => boolean, ms = 30_000) => {
    for (let waited = 0; waited < ms && !test(); waited += 100) await new Promise((r) => setTimeout(r, 100));
    return test();
  };
  return { child, out, until, exited };
}

export const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
