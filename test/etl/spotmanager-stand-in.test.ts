import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { parseLog } from '../../src/targets/spotmanager/index.js';
import { eventually } from '../support/wait.js';
import { startEtlWorld, type EtlWorld } from './etl-fixture.js';

/** The SpotManager stand-in, run by the test host's cron tick: the trouble lines come from real behaviour. */
describe('SpotManager stand-in on the test host', () => {
  let w: EtlWorld;
  afterEach(async () => {
    await w?.close();
  });
  const events = () => parseLog(readFileSync(w.host.logPath, 'utf8').split('\n'));

  test('one run at a time: a second run while the first holds the lock quits, saying so', async () => {
    w = await startEtlWorld();
    w.host.setEnv({ SPOTSIM_HOLD_MS: '3000' });
    const first = w.tick();
    await eventually(() => {
      try {
        return readFileSync(w.host.logPath, 'utf8').includes('No more pending spot requests');
      } catch {
        return false;
      }
    }, 'the first run');
    await w.tick();
    await first;
    const kinds = events().map((e) => e.kind);
    expect(kinds.filter((k) => k === 'already-running')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'pricing')).toHaveLength(1);
  });

  test('an instance whose setup never finishes is terminated when its time is up', async () => {
    w = await startEtlWorld({ setupTimeoutMs: 300 });
    await w.fillQueue('active-data-etl', 10);
    await w.tick();
    const fleet = await eventually(async () => {
      const f = await w.targets.fleet.listEtlInstances();
      return f.counts.running === 1 ? f : undefined;
    }, 'a running instance');
    const id = fleet.members[0]!.instanceId!;
    await w.breakSetup(id);
    await new Promise((r) => setTimeout(r, 400));
    await w.tick();
    expect(events().find((e) => e.kind === 'setup-timeout')).toMatchObject({ instance: id, level: 'warning' });
    expect(['shutting-down', 'terminated']).toContain((await w.targets.fleet.instanceStates([id])).get(id));
  });

  test('EC2 refusing a request is logged as a failed request, and no more requests are tried', async () => {
    w = await startEtlWorld();
    w.aws.ec2.sim.refuseRequests.set('c4.xlarge', {
      code: 'MaxSpotInstanceCountExceeded',
      message: 'Max spot instance count exceeded',
    });
    await w.fillQueue('active-data-etl', 30);
    await w.tick();
    expect(events().find((e) => e.kind === 'request-failed')).toMatchObject({
      instanceType: 'c4.xlarge',
      reason: 'Max spot instance count exceeded',
      level: 'warning',
    });
    expect(readFileSync(w.host.logPath, 'utf8')).toContain('No further spot requests will be attempted.');
    expect(w.aws.ec2.calls.filter((c) => c.action === 'RequestSpotInstances')).toHaveLength(1);
  });
});
