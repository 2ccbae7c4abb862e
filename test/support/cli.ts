import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** `report-pipeline` as a user runs it: a separate process; its exit status and both streams. */
export const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'report-pipeline.mjs');

export interface Finished {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      encoding: 'utf8',
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
