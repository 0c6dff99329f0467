import { afterEach, describe, expect, test } from 'vitest';
import type { Client } from '@elastic/elasticsearch';
import { cluster, GB, nodes, serve } from './fixtures.js';

/** `GET _nodes/jvm` → `nodes.<id>.jvm.start_time_in_millis` of one node, keyed by its node id. */
async function jvmStarts(client: Client): Promise<Record<string, { name: string; started: number | undefined }>> {
  const info = await client.nodes.info({ metric: 'jvm' });
  return Object.fromEntries(
    Object.entries(info.nodes).map(([id, n]) => [id, { name: n.name, started: n.jvm?.start_time_in_millis }]),
  );
}

describe('a node process: JVM start time in _nodes (ES 8 NodesInfoResponse, JvmInfo section)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  test('changes on every restart, also one at the same simulated instant; stays otherwise; node id stays', async () => {
    const c = cluster({
      nodes: nodes(3),
      indices: [{ name: 'unittest20160101_000000', shards: 3, replicas: 1, bytesPerShard: GB }],
    });
    const served = await serve(c);
    close = served.close;
    const { client } = served;
    c.advance(60_000);
    const before = await jvmStarts(client);
    const idOf = (name: string) => Object.keys(before).find((id) => before[id]?.name === name)!;
    const node2 = idOf('node-2');
    expect(before[node2]?.started).toBe(c.epochMs);

    c.advance(30_000); // time passes, nothing restarts: the same JVMs
    expect(await jvmStarts(client)).toEqual(before);

    c.restartNode('node-2', 5_000);
    expect(Object.keys(await jvmStarts(client))).not.toContain(node2); // away: not in the cluster
    c.advance(5_000);
    const after = await jvmStarts(client);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort()); // same node ids
    expect(after[node2]?.started).toBe(c.epochMs + 95_000);
    expect(after[idOf('node-1')]).toEqual(before[idOf('node-1')]);
    expect(after[idOf('node-3')]).toEqual(before[idOf('node-3')]);

    // A stop and start faster than the clock moves is still another JVM.
    c.stopNode('node-2');
    c.startNode('node-2');
    const again = (await jvmStarts(client))[node2]?.started;
    expect(again).toBeGreaterThan(after[node2]!.started!);
  });

  test('served for _nodes, _nodes/jvm and _nodes/{node_id}/jvm,_all; not for other metrics', async () => {
    const c = cluster({ nodes: nodes(2), indices: [] });
    const served = await serve(c);
    close = served.close;
    const { client } = served;
    const jvmOf = async (req: Parameters<Client['nodes']['info']>[0]) =>
      Object.values((await client.nodes.info(req)).nodes).map((n) => n.jvm);
    const full = await jvmOf({});
    expect(full[0]).toMatchObject({ start_time_in_millis: c.epochMs, using_bundled_jdk: true });
    expect(typeof full[0]?.vm_name).toBe('string');
    expect(typeof full[0]?.pid).toBe('number');
    expect(await jvmOf({ node_id: 'node-1', metric: 'jvm' })).toHaveLength(1);
    expect(await jvmOf({ node_id: 'node-1', metric: '_all' })).toEqual([full[0]]);
    expect(await jvmOf({ metric: 'settings' })).toEqual([undefined, undefined]);
    const human = await client.nodes.info({ node_id: 'node-1', metric: 'jvm', human: true });
    expect(Object.values(human.nodes)[0]?.jvm).toMatchObject({ start_time: new Date(c.epochMs).toISOString() });
    // The fields that were there before stay.
    const settings = Object.values((await client.nodes.info({ metric: 'settings' })).nodes)[0];
    expect(settings).toMatchObject({ name: 'node-1', transport_address: '172.31.0.1:9300' });
    expect(settings?.roles).toContain('data');
    expect(settings?.settings).toBeDefined();
  });
});
