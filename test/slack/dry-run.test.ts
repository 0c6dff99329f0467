import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { DrainHarness } from '../support/drain-fixture.js';
import { alice, bob } from '../support/drain-fixture.js';
import { startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE_IP = 'cluster.routing.allocation.exclude._ip';
const EXCLUDE_ZONE = 'cluster.routing.allocation.exclude.zone';
const PREFIX = `dry${process.pid}-${Date.now()}`;

/** Every /es command that changes the cluster, with --dry-run, and a line its plan card must show. */
const COMMANDS: [text: string, header: string, shows: RegExp][] = [
  ['undrain node-3 --dry-run', 'Dry run: /es undrain on local', /`172\.31\.0\.39` → _\(empty\)_/],
  ['bounce node-1 node-2 --dry-run', 'Dry run: /es bounce on local', /node-1 \(172\.31\.0\.11, primary\)/],
  ['rolling-restart --zone spot --dry-run', 'Dry run: /es rolling-restart on local', /node-4 \(172\.31\.0\.14, spot\)/],
  ['maintain node-4 --dry-run', 'Dry run: /es maintain on local', /the run pauses and waits for \*Done\*/],
  [
    'allocation primaries --dry-run',
    'Dry run: /es allocation on local',
    /allocation\.enable: primaries` \(persistent\)/,
  ],
  ['exclude-zone spot --dry-run', 'Dry run: /es exclude-zone on local', /4 copies \(4\.0 GB\) leave node-4/],
  ['include-zone retired --dry-run', 'Dry run: /es include-zone on local', /\*Zone\*\\nretired/],
  ['drain node-4 --dry-run', 'Dry run: drain node-4 on local', /→ `172\.31\.0\.39,172\.31\.0\.14`/],
];

/** The bot's requests that could change the cluster: every method but GET/HEAD, bar ES's read-only POSTs. */
const READ_POSTS = /^\/(_cluster\/allocation\/explain|[^/]*\/?_search|_nodes\/[^/]+\/stats|_cat\/)/;
function writes(h: DrainHarness): string[] {
  return h.proxy.requests
    .filter((r) => !['GET', 'HEAD'].includes(r.method) && !(r.method === 'POST' && READ_POSTS.test(r.path)))
    .map((r) => `${r.method} ${r.path}`);
}

describe('--dry-run on every /es command that changes something (issue 19.1)', () => {
  let h: DrainHarness;
  let redis: Redis;
  beforeAll(async () => {
    h = await startMaintenanceHarness({ prefix: PREFIX });
    redis = new Redis(inject('redisUrl'));
    // node-3 drained and a zone with no nodes left excluded, so undrain and include-zone have a plan.
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_IP]: '172.31.0.39', [EXCLUDE_ZONE]: 'retired' } });
    // ES moves node-3's copies away, then rebalances (one lands on node-4): the plans below count
    // copies per node, so they are read from the settled cluster, not from a move half done.
    let layout = '';
    let sameSince = Date.now();
    await eventually(
      async () => {
        const rows = await h.es.cat.shards({ format: 'json', h: 'index,shard,prirep,state,node' });
        const now = JSON.stringify(rows);
        if (now !== layout) [layout, sameSince] = [now, Date.now()];
        return rows.every((r) => r.state === 'STARTED') && Date.now() - sameSince >= 1_000;
      },
      'the cluster to settle after excluding node-3',
      15_000,
    );
  }, 20_000);
  afterAll(async () => {
    redis?.disconnect();
    await h?.close();
  });

  test.each(COMMANDS)(
    '/es %s: the plan to the requester alone; no write, no run, no lock, nothing in the channel',
    async (text, title, shows) => {
      const before = h.view.ephemerals(alice.user_id).length;
      await h.driver.command('/es', text, alice);
      const reply = await eventually(
        () => h.view.ephemerals(alice.user_id).slice(before)[0],
        `the dry-run answer to ${text}`,
      );
      const shown = `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;
      expect(shown).toContain(title);
      expect(shown).toMatch(shows);
      expect(shown).toContain('nothing was changed');
      expect(shown).not.toMatch(/run_approve|run_deny/);
      // Nobody else saw anything: no card, no ephemeral to bob.
      expect(h.cards()).toEqual([]);
      expect(h.view.ephemerals(bob.user_id)).toEqual([]);
      expect(writes(h)).toEqual([]);
      expect(await h.stack.bot.engine.listRuns()).toEqual([]);
      expect(await redis.keys(`${PREFIX}:lock:*`)).toEqual([]);
    },
  );

  test('the same command without --dry-run does create the run (the checks above can fail)', async () => {
    await h.driver.command('/es', 'allocation primaries', alice);
    await h.cardWithButton('run_approve');
    expect(await h.stack.bot.engine.listRuns()).toHaveLength(1);
    expect(await redis.keys(`${PREFIX}:lock:*`)).not.toEqual([]);
  });

  test('help mentions --dry-run for every command that changes the cluster', async () => {
    const before = h.view.ephemerals(alice.user_id).length;
    await h.driver.command('/es', 'help', alice);
    const help = await eventually(() => h.view.ephemerals(alice.user_id).slice(before)[0], 'the help');
    const text = `${help.text}\n${JSON.stringify(help.blocks ?? [])}`;
    for (const verb of ['drain', 'undrain', 'bounce', 'rolling-restart', 'maintain', 'allocation', 'exclude-zone'])
      expect(text).toMatch(new RegExp(`/es ${verb} [^\\n"]*\\[--dry-run\\]`));
  });
});
