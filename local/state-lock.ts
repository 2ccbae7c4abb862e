import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../functions/extract/index.ts';

/**
 * One run at a time per state folder. dynalite's store (LevelDB) is locked by the process that opened it,
 * and a second opener dies on an uncaught error from deep inside dynalite; this lock file (holding the
 * owner's pid) is checked first so the second run gets a sentence instead. A lock whose process is gone
 * (a run killed with -9) is taken over: a crash must never lock the state for good.
 */
export class StateInUse extends Error {
  override name = 'StateInUse';
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
};

export function lockState(dir: string): () => void {
  const file = path.join(dir, 'run.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new StateInUse(
          `the state in ${dir} is in use by another report-pipeline local (pid ${owner}: --serve, --watch or a batch); stop it first, or use another --dir`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new StateInUse(`cannot lock the state in ${dir}`);
}
