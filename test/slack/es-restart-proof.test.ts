import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, type DrainHarness } from '../support/drain-fixture.js';
import { clusterActions, simNodeCommands, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { eventually } from '../support/wait.js';

const REJOIN_MS = 8_000;

/**
 * Issue 15: a restart is proven by something that always changes on a restart (the node's JVM
 * start time), not by its uptime dropping. The uptime cannot prove the restart of a node that had
 * itself started just before, when the node is back before the first look: here the simulator's
 * clock stands still while the bounce restarts the node, so both uptimes are 0 and the node is never
 * seen away (the restart is a stop and a start in one command, quicker than any poll).
 */
describe('proof of a restart', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('a node restarted shortly before the bounce: the bounce finishes promptly, node-2 rejoined', async () => {
    h = await startMaintenanceHarness({
      commands: (url) => ({
        ...simNodeCommands(url),
        restart: `${simNodeCommands(url).stop} && ${simNodeCommands(url).start}`,
      }),
      timeouts: { rejoinMs: REJOIN_MS },
    });
    const es = h.stack.es;
    const sim = es.cluster;
    es.setSpeed(0);
    // node-2 restarted (by the simulator, not the bot) and is back in the cluster.
    sim.stopNode('node-2');
    sim.startNode('node-2');
    await eventually(async () => {
      const rows = await h.es.cat.nodes({ format: 'json', h: ['name'] });
      return rows.some((r) => r.name === 'node-2');
    }, 'node-2 back in the cluster');

    await h.driver.command('/es', 'bounce node-2', alice);
    const card = await h.cardWithButton('run_approve');
    const approvedAt = Date.now();
    await h.click('run_approve', bob, card);
    const rejoined = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('node-2 rejoined the cluster after')),
      'node-2 rejoined, promptly',
      REJOIN_MS / 2,
    );
    expect(Date.now() - approvedAt).toBeLessThan(REJOIN_MS / 2);
    expect(rejoined).toMatch(/\*Restart node-2\* — node-2 rejoined the cluster after/);

    es.setSpeed(50); // the shards recover, the bounce ends
    await eventually(() => h.threadTexts(card.ts).find((t) => t.includes(':tada:')), 'the bounce to finish', 30_000);
    expect(clusterActions(h)).toEqual(['enable=primaries', 'stop node-2', 'start node-2', 'enable=null']);
    expect(h.threadTexts(card.ts).join('\n')).not.toContain('did not rejoin');
  }, 60_000);
});
