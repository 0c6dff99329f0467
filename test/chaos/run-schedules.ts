import { ChaosTally, generateSchedule } from '../../src/sim/chaos/index.js';
import { runSchedule, type ChaosServices } from './schedule-runner.js';

export interface RunOptions {
  /** The seeds to run, in order. */
  seeds: number[];
  /** Schedules run at once: each mostly waits on its bot's polls, so several share the CPU well. */
  lanes?: number;
  onResult?: (line: string) => void;
  /** Every schedule's full report to onResult, not only those that broke an invariant. */
  verbose?: boolean;
}

/** Runs the seeds' schedules, `lanes` at a time, and tallies them. */
export async function runSchedules(services: ChaosServices, opts: RunOptions): Promise<ChaosTally> {
  const tally = new ChaosTally();
  const queue = [...opts.seeds];
  const lane = async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const r = await runSchedule(generateSchedule(seed), services);
      tally.add(r);
      opts.onResult?.(r.violations.length || opts.verbose ? r.report : `seed ${seed} ${r.runbook}: ${r.outcome}`);
    }
  };
  await Promise.all(Array.from({ length: opts.lanes ?? 8 }, lane));
  return tally;
}
