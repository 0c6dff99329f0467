import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from 'vitest';
import { startLocalStack, type LocalStack } from '../../src/main/local-stack.js';
import { SimCluster } from '../../src/sim/es/index.js';
import { ChannelView } from '../../src/sim/slack/index.js';
import { eventually } from '../support/wait.js';

const GB = 1024 ** 3;
const alice = { user_id: 'U0ALICE', user_name: 'alice', channel_id: 'C0OPS' };

function smallCluster(): SimCluster {
  return new SimCluster({
    nodes: [
      { name: 'node-1', ip: '172.31.0.11', zone: 'primary', diskTotalBytes: 500 * GB },
      { name: 'node-2', ip: '172.31.0.12', zone: 'secondary', diskTotalBytes: 500 * GB },
      { name: 'node-3', ip: '172.31.0.39', zone: 'spot', diskTotalBytes: 500 * GB },
      { name: 'node-4', ip: '172.31.0.14', zone: 'primary', diskTotalBytes: 500 * GB },
    ],
    indices: [
      { name: 'unittest20160101_000000', shards: 6, replicas: 1, bytesPerShard: 2 * GB, aliases: ['unittest'] },
    ],
    seed: 7,
  });
}

describe('/es status, /es settings, /es help through the real Bolt receiver', () => {
  let stack: LocalStack;
  let es: Client;
  let deadUrl: string;

  beforeAll(async () => {
    // Port 9 (discard), never served here: a port that was free a moment ago can be taken by
    // another test file's server meanwhile, and the "dead" cluster then answers (seen once, slow).
    deadUrl = 'http://127.0.0.1:9';
    // A second cluster nobody listens on: the unreachable case.
    stack = await startLocalStack({
      redisUrl: inject('redisUrl'),
      prefix: 'es-status',
      cluster: smallCluster(),
      tickMs: 0,
      estate: { clusters: { dead: { url: deadUrl, requestTimeoutMs: 2000 } } },
    });
    es = new Client({ node: stack.es.url });
  });
  afterAll(async () => {
    await es?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    stack.slack.reset();
    await es.cluster.putSettings({
      persistent: { 'cluster.routing.allocation.exclude._ip': null, 'cluster.routing.allocation.enable': null },
      transient: { 'cluster.routing.allocation.exclude._ip': null, 'cluster.routing.allocation.enable': null },
    });
  });

  const channelText = async () => {
    const view = new ChannelView(stack.slack, 'C0OPS');
    const [msg] = await eventually(() => {
      const m = view.messages();
      return m.length ? m : undefined;
    }, 'a message in the channel');
    return { msg: msg!, text: view.text(msg!) };
  };
  const ephemeralText = async () => {
    const view = new ChannelView(stack.slack, 'C0OPS');
    const [e] = await eventually(() => {
      const m = view.ephemerals(alice.user_id);
      return m.length ? m : undefined;
    }, 'an ephemeral reply');
    return view.text(e!);
  };

  test('a signed /es status is answered in the channel with health, nodes and settings', async () => {
    await es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' } });
    const res = await stack.driver.command('/es', 'status', alice);
    expect(res.status).toBe(200);
    const { msg, text } = await channelText();
    expect(msg.user).toBe('U0OPSBOT');
    expect(text).toContain('local: active-data is GREEN');
    for (const [name, ip] of [
      ['node-1', '172.31.0.11'],
      ['node-2', '172.31.0.12'],
      ['node-3', '172.31.0.39'],
      ['node-4', '172.31.0.14'],
    ]) {
      const row = text.split('\n').find((l) => l.includes(`${name} `));
      expect(row, name).toContain(ip);
    }
    const node3 = text.split('\n').find((l) => l.startsWith('node-3 '))!;
    expect(node3).toMatch(/spot/);
    expect(node3).toContain('yes: exclude._ip:172.31.0.39');
    const node1 = text.split('\n').find((l) => l.startsWith('node-1 '))!;
    expect(node1).toContain('primary (reliable)');
    expect(node1).toMatch(/ no$/);
    expect(text).toContain('cluster.routing.allocation.exclude._ip'.replace('cluster.routing.', '…routing.'));
    expect(text).not.toContain('overrides persistent');
    // 12 shards over 4 nodes: the per-node counts add up to the cluster's.
    const counts = ['node-1', 'node-2', 'node-3', 'node-4'].map((n) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${n} `))!
          .split(/\s{2,}/)[3],
      ),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
  });

  test(
    'a transient setting that overrides the persistent one is ' + 'flagged, with the command that clears it',
    async () => {
      await es.cluster.putSettings({
        persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' },
        transient: { 'cluster.routing.allocation.exclude._ip': '' },
      });
      await stack.driver.command('/es', 'status', alice);
      const { text } = await channelText();
      expect(text).toContain(
        'Transient `cluster.routing.allocation.exclude._ip` = `""` overrides persistent `172.31.0.39`',
      );
      expect(text).toContain('{"transient": {"cluster.routing.allocation.exclude._ip": null}}');
      // The transient empty list wins: node-3 is not excluded in effect.
      expect(text.split('\n').find((l) => l.startsWith('node-3 '))).toMatch(/ no$/);
    },
  );

  test('equal transient and persistent values are not flagged', async () => {
    await es.cluster.putSettings({
      persistent: { 'cluster.routing.allocation.enable': 'all' },
      transient: { 'cluster.routing.allocation.enable': 'all' },
    });
    await stack.driver.command('/es', 'settings', alice);
    const { msg, text } = await channelText();
    expect(text).not.toContain('overrides persistent');
    expect(msg.text).toBe('Cluster local: allocation settings, no transient overrides');
  });

  test('a bad signature or a stale timestamp is refused and nothing is posted', async () => {
    const bad = await stack.driver.command('/es', 'status', alice, { badSignature: true });
    const old = await stack.driver.command('/es', 'status', alice, {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(bad.status).toBe(401);
    expect(old.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(stack.slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(stack.slack.responses).toEqual([]);
  });

  test('an unknown subcommand gets usage, only for the requester', async () => {
    const res = await stack.driver.command('/es', 'stauts', alice);
    expect(res.status).toBe(200);
    const text = await ephemeralText();
    expect(text).toContain('unknown command "stauts" for /es');
    expect(text).toContain('/es status [--cluster CLUSTER]');
    expect(stack.slack.messages('C0OPS')).toEqual([]);
  });

  test('an unreachable cluster gets a clear message, and the bot keeps working', async () => {
    await stack.driver.command('/es', 'status --cluster dead', alice);
    const text = await ephemeralText();
    expect(text).toContain(`cluster dead (${deadUrl}) is unreachable`);
    expect(text).toContain('check that it is up');
    stack.slack.reset();
    await stack.driver.command('/es', 'status', alice);
    expect((await channelText()).text).toContain('is GREEN');
  });

  test('an unknown cluster name lists the known ones', async () => {
    await stack.driver.command('/es', 'status --cluster qa', alice);
    expect(await ephemeralText()).toContain('unknown cluster "qa": known clusters are local, dead');
  });

  test('/es help lists every /es command with one line each', async () => {
    await stack.driver.command('/es', 'help', alice);
    const text = await ephemeralText();
    for (const usage of [
      '/es status [--cluster CLUSTER]',
      '/es settings [--cluster CLUSTER]',
      '/es drain <node> [<node> ...] [--dry-run] [--clean-stale] [--fast] [--cluster CLUSTER]',
      '/es undrain <node> [--cluster CLUSTER]',
      '/es help',
    ])
      expect(text).toContain(usage);
    expect(text).toContain('(needs a second person to approve)');
  });
});
