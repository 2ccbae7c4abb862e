import { spawnSync } from 'node:child_process';

/** Whole-process timings: what a user waits for, start-up included. */
export interface Timed {
  name: string;
  /** Median wall-clock seconds over the runs. */
  seconds: number;
  stdout: string;
}

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs each command `runs` times, interleaved so that a noisy neighbour hurts all of them alike. A command
 * with `together` runs those argument lists as processes at the same time (through `sh`), timed until the
 * last one ends: what the machine gives several processes at once.
 */
export function timeProcesses(
  commands: Array<{ name: string; args: string[]; together?: string[][]; env?: NodeJS.ProcessEnv }>,
  runs: number,
): Timed[] {
  const times = commands.map((): number[] => []);
  const outputs = commands.map(() => '');
  for (let run = 0; run < runs; run++) {
    commands.forEach((command, i) => {
      const start = process.hrtime.bigint();
      const [file, args] =
        command.together === undefined
          ? [process.execPath, command.args]
          : [
              'sh',
              [
                '-c',
                `${command.together.map((a) => [process.execPath, ...a].map(quote).join(' ')).join(' & ')} & wait`,
              ],
            ];
      const out = spawnSync(file, args, {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, ...command.env },
      });
      times[i]?.push(Number(process.hrtime.bigint() - start) / 1e9);
      if (out.error) throw out.error;
      outputs[i] = out.stdout;
    });
  }
  return commands.map((command, i) => {
    const sorted = (times[i] ?? []).sort((a, b) => a - b);
    return {
      name: command.name,
      seconds: sorted[Math.floor(sorted.length / 2)] ?? 0,
      stdout: outputs[i] ?? '',
    };
  });
}
