import { errors, type Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, test } from 'vitest';
import type { SimCluster } from '../../../src/sim/es/index.js';
import { cluster, GB, nodes, serve } from './fixtures.js';

/**
 * The dangers the safety gate must see coming, produced in the simulator: a disk over the
 * flood-stage watermark (read-only-allow-delete blocks, released again below high), a node that
 * never comes back (its only copies lost), and nodes that leave in the middle of a recovery.
 */
let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

async function start(indices: Array<{ name: string; shards: number; replicas: number; gb: number }>) {
  const c = cluster({
    nodes: nodes(3),
    indices: indices.map((i) => ({ name: i.name, shards: i.shards, replicas: i.replicas, bytesPerShard: i.gb * GB })),
  });
  const served = await serve(c);
  close = served.close;
  return { c, client: served.client, url: served.es.url };
}

function holder(c: SimCluster, index: string, primary: boolean): string {
  const copy = c.state.indices.get(index)?.groups[0]?.copies.find((x) => x.primary === primary);
  return copy?.nodeId ? c.state.node(copy.nodeId).name : '-';
}

async function blocked(client: Client, index: string): Promise<string | undefined> {
  const s = await client.indices.getSettings({ index, flat_settings: true });
  return s[index]?.settings?.['index.blocks.read_only_allow_delete'] as string | undefined;
}

describe('flood-stage watermark', () => {
  test('over flood stage: its indices blocked at the next cluster-info refresh; below high, released', async () => {
    const { c, client } = await start([
      { name: 'jobs', shards: 3, replicas: 1, gb: 10 },
      { name: 'perf', shards: 1, replicas: 0, gb: 1 },
    ]);
    const full = c.nodes()[0]!;
    const onFull = new Set([...full.copies].map((x) => x.group.index.name));
    c.advance(30_000);
    c.setOtherBytes(full.name, 960 * GB); // 1000 GB disk: well under the 50 GB flood-stage free space
    expect(await blocked(client, 'jobs')).toBeUndefined(); // the monitor has not looked yet
    c.advance(30_000);
    for (const index of ['jobs', 'perf'])
      expect(await blocked(client, index)).toBe(onFull.has(index) ? 'true' : undefined);
    const refused = await client.indices.putSettings({ index: 'jobs', settings: { number_of_replicas: 2 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(errors.ResponseError);
    expect((refused as errors.ResponseError).meta.statusCode).toBe(429);
    expect((refused as errors.ResponseError).meta.body).toMatchObject({
      error: {
        type: 'cluster_block_exception',
        reason:
          'index [jobs] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, ' +
          'index has read-only-allow-delete block];',
      },
      status: 429,
    });
    c.setOtherBytes(full.name, 0);
    c.advance(30_000);
    expect(await blocked(client, 'jobs')).toBeUndefined();
    await client.indices.putSettings({ index: 'jobs', settings: { number_of_replicas: 2 } });
  });
});

describe('nodes that do not come back, and nodes that leave mid-recovery', () => {
  test('a destroyed node takes the only copy of a 0-replica shard: red for good, no valid copy', async () => {
    const { c, client, url } = await start([
      { name: 'solo', shards: 1, replicas: 0, gb: 1 },
      { name: 'jobs', shards: 1, replicas: 1, gb: 1 },
    ]);
    const lost = holder(c, 'solo', true);
    const res = await fetch(`${url}/_sim/nodes/${lost}/_destroy`, { method: 'POST' });
    expect(res.status).toBe(200);
    c.advance(30 * 60_000);
    expect(c.health()).toMatchObject({ status: 'red', unassigned_primary_shards: 1, number_of_nodes: 2 });
    const ex = await client.cluster.allocationExplain({ index: 'solo', shard: 0, primary: true });
    expect(ex).toMatchObject({ can_allocate: 'no_valid_shard_copy', current_state: 'unassigned' });
    expect((await client.cluster.health({ index: 'jobs' })).status).toBe('green'); // its replica was rebuilt elsewhere
    const again = await fetch(`${url}/_sim/nodes/${lost}/_start`, { method: 'POST' });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { reason: string } }).error.reason).toContain('its data is lost');
  });

  test('a stopped node that returns brings its copy back (the contrast with a destroyed one)', async () => {
    const { c } = await start([{ name: 'solo', shards: 1, replicas: 0, gb: 1 }]);
    const name = holder(c, 'solo', true);
    c.stopNode(name);
    c.advance(60_000);
    expect(c.health().status).toBe('red');
    c.startNode(name);
    c.advance(60_000);
    expect(c.health().status).toBe('green');
  });

  test('the target of a relocation leaves: the recovery is cancelled and the source copy stays started', async () => {
    const { c, client } = await start([{ name: 'jobs', shards: 3, replicas: 0, gb: 20 }]);
    const source = c.nodes()[0]!;
    c.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': source.name } });
    c.advance(10_000);
    const moving = c.activeRecoveries().filter((r) => r.copy.source?.nodeId === source.id);
    expect(moving.length).toBeGreaterThan(0);
    const target = c.state.node(moving[0]!.targetNodeId);
    const moved = moving[0]!.copy.source!;
    c.stopNode(target.name);
    expect(c.activeRecoveries().some((r) => r.targetNodeId === target.id)).toBe(false);
    const recoveries = await client.cat.recovery({ active_only: true, format: 'json', h: 'target_node' });
    expect(recoveries.map((r) => r.target_node)).not.toContain(target.name);
    // The copy that was moving is still active on its source (and may be moving again, elsewhere).
    expect(moved.nodeId).toBe(source.id);
    expect(['STARTED', 'RELOCATING']).toContain(moved.state);
    expect(moved.target?.nodeId ?? null).not.toBe(target.id);
  });

  test('the source of a recovery leaves: replicas recovering from it fail, its relocations are abandoned', async () => {
    const { c, client } = await start([{ name: 'jobs', shards: 2, replicas: 1, gb: 20 }]);
    c.stopNode('node-3');
    c.advance(61_000); // past the node-left delay: lost replicas are rebuilt from the primaries
    const sources = new Set(c.activeRecoveries().map((r) => r.sourceNodeId));
    expect(sources.size).toBeGreaterThan(0);
    const sourceId = [...sources][0] as string;
    const sourceName = c.state.node(sourceId).name;
    c.stopNode(sourceName);
    expect(c.activeRecoveries().some((r) => r.sourceNodeId === sourceId)).toBe(false);
    expect(c.health().unassigned_shards).toBeGreaterThan(0);
    const rows = await client.cat.recovery({ active_only: true, format: 'json', h: 'source_node' });
    expect(rows.map((r) => r.source_node)).not.toContain(sourceName);
  });
});
