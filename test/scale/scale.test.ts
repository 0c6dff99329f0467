import { describe, expect, it } from 'vitest';
import { runScaleCampaign } from './scale-harness.js';

/**
 * Issue 18.6 at the size the suite can carry on two cores (`npm run scale` runs the full size: 20
 * runs, more kills): 2 web and 3 worker processes, 5 clusters, two runs on each (a drain, then
 * its undrain), processes SIGKILLed at random and started again, Redis restarted once.
 */
describe('scale: 2 web and 3 worker processes, 5 clusters, random SIGKILLs and a Redis restart', () => {
  it('every run ends done, each change reaches its cluster once, every final card shows the end, no 429', async () => {
    const r = await runScaleCampaign({
      webs: 2,
      workers: 3,
      clusters: 5,
      runsPerCluster: 2,
      kills: 3,
      redisRestart: true,
      seed: Number(process.env.SCALE_SEED ?? 7),
      timeoutMs: 150_000,
    });
    expect(r.runs).toHaveLength(10);
    for (const run of r.runs) expect(run.finalText, `${run.command} on ${run.cluster}`).toContain('Done in');
    // A drain writes its exclusion once and its undrain removes it once: nothing is sent twice.
    expect(r.settingsWrites).toEqual({ c1: 2, c2: 2, c3: 2, c4: 2, c5: 2 });
    expect(r.rateLimited).toBe(0);
    expect(r.kills.length).toBeGreaterThan(0);
  }, 200_000);
});
