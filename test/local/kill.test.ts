import { describe, expect, it } from 'vitest';
import { faultRun } from '../../scripts/fault-run.ts';

/**
 * Kills by pid: `report-pipeline local` as a child process, SIGKILLed at random points over a few files,
 * then run to the end. Nothing lost, nothing recorded or announced twice (the full run: `npm run faults`).
 */
describe('the local run killed with -9', () => {
  it('loses no record and sends no message twice over 2 kills of 5 files', async () => {
    const result = await faultRun({ kills: 2, files: 5, seed: 20261130 });
    expect(result.killsLanded).toBeGreaterThan(0);
    expect(result).toMatchObject({
      records: 5,
      lostRecords: 0,
      duplicateRecords: 0,
      duplicateMessages: 0,
      lostMessages: 0,
      finalExit: 0,
    });
  }, 400_000);
});
