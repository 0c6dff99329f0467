import { afterEach, describe, expect, inject, test } from 'vitest';
import { startLocalStack } from '../../src/main/local-stack.js';
import { SimCluster, startEsSimulator, type EsSimulator } from '../../src/sim/es/index.js';
import { alice, bob, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { clusterActions, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { eventually } from '../support/wait.js';

const GB = 1024 ** 3;

function oldCluster(version: string): SimCluster {
  return new SimCluster({
    version,
    nodes: [
      { name: 'old-1', ip: '10.0.0.1', zone: 'primary', diskTotalBytes: 100 * GB },
      { name: 'old-2', ip: '10.0.0.2', zone: 'secondary', diskTotalBytes: 100 * GB },
    ],
    indices: [{ name: 'logs', shards: 2, replicas: 1, bytesPerShard: GB }],
  });
}

/** The simulator's fault switch (its /_sim control endpoint is never faulted itself). */
async function setFault(sim: EsSimulator, spec: { mode: string; status?: number }): Promise<void> {
  const res = await fetch(`${sim.url}/_sim/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  expect(res.status).toBe(200);
}

/** Issue 19.7: the drain, bounce and status paths against an 8.x and a 9.x cluster. */
describe.each(['8.17.0', '9.1.0'])('against Elasticsearch %s', (version) => {
  let h: DrainHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test('GET / answers as that release; /es status, a drain to the end and a bounce work', async () => {
    h = await startMaintenanceHarness({ esVersion: version, speed: 200 });
    const info = await h.es.info();
    expect(info.version.number).toBe(version);
    expect(info.version.build_flavor).toBe('default');
    const nodes = await h.es.nodes.info({ node_id: '_local' });
    expect(Object.values(nodes.nodes)[0]?.version).toBe(version);

    await h.driver.command('/es', 'status', alice);
    const status = await eventually(() => h!.cards().find((c) => h!.cardText(c).includes('node-3')), 'the status');
    expect(h.cardText(status)).toContain('172.31.0.39');

    await h.driver.command('/es', 'drain node-3', alice);
    const drain = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, drain);
    await eventually(
      () => h!.threadTexts(drain.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
      'the drain to finish',
      30_000,
    );

    await h.driver.command('/es', 'bounce node-1', alice);
    const bounce = await eventually(
      () => h!.cards().find((m) => m.ts !== drain.ts && h!.view.hasButton(m, 'run_approve')),
      'the bounce card',
    );
    await h.click('run_approve', bob, bounce);
    await eventually(() => h!.threadTexts(bounce.ts).find((t) => t.includes(':tada:')), 'the bounce', 30_000);
    expect(clusterActions(h).filter((a) => a.startsWith('restart'))).toEqual(['restart node-1']);
  }, 60_000);
});

describe('a cluster of an unsupported release (7.x or older) is refused', () => {
  let old: EsSimulator | undefined;
  let h: DrainHarness | undefined;
  afterEach(async () => {
    await h?.close();
    await old?.close();
    h = old = undefined;
  });

  test('at start-up: one line naming the version found and the supported range', async () => {
    const started = startLocalStack({
      redisUrl: inject('redisUrl'),
      prefix: `v7-${process.pid}-${Date.now()}`,
      cluster: oldCluster('7.17.25'),
    });
    await expect(started).rejects.toThrow('cluster local runs Elasticsearch 7.17.25; opsbot supports 8.0 up to 9.x');
    const err = (await started.catch((e: unknown) => e)) as { next?: string };
    expect(err.next).toMatch(/^Upgrade the cluster to 8\.x/);
  });

  test('at /es status: a cluster down at start-up that answers as 6.8 is refused, to the requester', async () => {
    old = await startEsSimulator({ cluster: oldCluster('6.8.23'), tickMs: 0 });
    // Down while the bot starts (so start-up lets it be), back afterwards.
    await setFault(old, { mode: 'status', status: 503 });
    h = await startDrainHarness({ estate: { clusters: { old: { url: old.url } } } });
    await setFault(old, { mode: 'none' });
    await h.driver.command('/es', 'status --cluster old', alice);
    const refusal = await eventually(
      () => h!.ephemeralTexts(alice.user_id).find((t) => t.includes('6.8.23')),
      'the refusal',
    );
    expect(refusal).toContain('cluster old runs Elasticsearch 6.8.23; opsbot supports 8.0 up to 9.x');
    expect(refusal).toContain('Upgrade the cluster to 8.x or later');
    expect(h.cards()).toEqual([]);
    // The supported default cluster still answers.
    await h.driver.command('/es', 'status', alice);
    await eventually(() => h!.cards()[0], 'the status of local');
  });
});
