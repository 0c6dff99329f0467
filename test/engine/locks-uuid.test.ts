import { afterEach, describe, expect, test } from 'vitest';
import { parseEstate } from '../../src/config/load-estate.js';
import { RunLockedError, type AnyRunbook } from '../../src/engine/index.js';
import { OperatorError } from '../../src/problem.js';
import { allocationLock } from '../../src/runbooks/es-facts.js';
import { SimCluster, startEsSimulator, type EsSimulator } from '../../src/sim/es/index.js';
import { Clusters } from '../../src/targets/elasticsearch/index.js';
import { APPROVER, harness, REQUESTER, type Harness } from './helpers.js';

const GB = 1024 ** 3;
const simCluster = (name: string) =>
  new SimCluster({
    name,
    nodes: [{ name: 'node-1', ip: '10.0.0.1', zone: 'primary', diskTotalBytes: 100 * GB }],
    indices: [{ name: 'logs', shards: 1, replicas: 0, bytesPerShard: GB }],
  });

let sims: EsSimulator[] = [];
let clusters: Clusters | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await clusters?.close();
  for (const s of sims) await s.close();
  sims = [];
  h = clusters = undefined;
});

/** opsbot.yaml with two names for one cluster's URL, another cluster, and one that answers nothing. */
async function estate(): Promise<Clusters> {
  sims = [
    await startEsSimulator({ cluster: simCluster('prod'), tickMs: 0 }),
    await startEsSimulator({ cluster: simCluster('staging'), tickMs: 0 }),
  ];
  const [prod, staging] = sims.map((s) => s.url);
  return new Clusters(
    parseEstate({
      defaultCluster: 'prod',
      clusters: {
        prod: { url: prod },
        'activedata-prod': { url: prod },
        staging: { url: staging },
        // Port 9 (discard) is never served here.
        gone: { url: 'http://127.0.0.1:9', requestTimeoutMs: 2_000 },
      },
    }),
  );
}

const onCluster = (c: Clusters): AnyRunbook => ({
  name: 'lk.cluster-change',
  summary: (p: { cluster: string }) => `change allocation on ${p.cluster}`,
  lock: allocationLock(c),
  steps: [{ id: 'write', title: 'Write', destructive: true, run: () => Promise.resolve({ status: 'done' }) }],
});

describe('the allocation lock is keyed by the UUID the cluster reports', () => {
  test('two names for one URL get one lock; another cluster its own', async () => {
    clusters = await estate();
    const lock = allocationLock(clusters);
    const [a, b, c] = await Promise.all([
      lock({ cluster: 'prod' }),
      lock({ cluster: 'activedata-prod' }),
      lock({ cluster: 'staging' }),
    ]);
    expect(a).toBe(`es-allocation:${sims[0]!.cluster.uuid}`);
    expect(b).toBe(a);
    expect(c).toBe(`es-allocation:${sims[1]!.cluster.uuid}`);
    expect(c).not.toBe(a);
  });

  test('a run asked under the second name is refused while the first name holds the cluster', async () => {
    clusters = await estate();
    h = await harness({ runbooks: [onCluster(clusters)], worker: false });
    const base = { requester: REQUESTER, channel: 'C1', runbook: 'lk.cluster-change' };
    const { run: first } = await h.engine.createRun({ ...base, cluster: 'prod', params: { cluster: 'prod' } });
    const refused = await h.engine
      .createRun({ ...base, requester: APPROVER, cluster: 'activedata-prod', params: { cluster: 'activedata-prod' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunLockedError);
    expect((refused as RunLockedError).holder.id).toBe(first.id);
    expect((refused as Error).message).toContain(`the allocation lock of prod is held by run ${first.id}`);
    const other = await h.engine.createRun({ ...base, cluster: 'staging', params: { cluster: 'staging' } });
    expect(other.created).toBe(true);
  });

  test('fails closed: no UUID, no run, and the refusal says what to check', async () => {
    clusters = await estate();
    h = await harness({ runbooks: [onCluster(clusters)], worker: false });
    const refused = await h.engine
      .createRun({ requester: REQUESTER, channel: 'C1', runbook: 'lk.cluster-change', params: { cluster: 'gone' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OperatorError);
    expect((refused as Error).message).toMatch(/^cluster unreachable: could not read the UUID of cluster gone/);
    expect((refused as OperatorError).next).toBe(
      'Check the cluster (/es status --cluster gone) and its url in opsbot.yaml, then retry.',
    );
    expect(await h.engine.listRuns()).toEqual([]);
  });

  test('a cluster that has not formed (cluster_uuid "_na_") is no identity: refused the same way', async () => {
    clusters = await estate();
    Object.defineProperty(sims[1]!.cluster, 'uuid', { value: '_na_' });
    await expect(allocationLock(clusters)({ cluster: 'staging' })).rejects.toThrow(
      /cluster unreachable: .*has no cluster_uuid yet \(answered "_na_"\)/,
    );
  });
});
