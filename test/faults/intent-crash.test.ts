import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, test } from 'vitest';
import type { Run } from '../../src/engine/types.js';
import { stepDoneCounts } from '../support/audit-counts.js';
import { alice, bob, type DrainHarness, type ProxyHooks } from '../support/drain-fixture.js';
import { clusterActions, simNodeCommands, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import type { RecordedRequest } from '../support/recording-proxy.js';
import { eventually } from '../support/wait.js';
import { exited, startWorkerProcess } from '../support/worker-process.js';

/**
 * Three worker processes booted at once; only the first takes jobs. `crash()` SIGKILLs the one
 * working and lets the next start (SIGUSR2): each crash is one worker dying at a chosen point.
 */
class Relay {
  private current = 0;
  constructor(readonly workers: ChildProcess[]) {}
  async crash(): Promise<void> {
    const dying = this.workers[this.current]!;
    dying.kill('SIGKILL');
    await exited(dying);
    this.workers[++this.current]?.kill('SIGUSR2');
  }
}

const enableWrite = (value: string) => (r: RecordedRequest) =>
  r.method === 'PUT' && r.path.startsWith('/_cluster/settings') && r.body.includes(`"${value}"`);
const excludeWrite = (r: RecordedRequest) =>
  r.method === 'PUT' && r.path.startsWith('/_cluster/settings') && r.body.includes('allocation.exclude');
const restartOf = (node: string) => (r: RecordedRequest) => r.path.startsWith(`/_sim/nodes/${node}/_restart`);

describe('a worker killed between intent and effect, and between effect and checkpoint', () => {
  let h: DrainHarness | undefined;
  let relay: Relay | undefined;
  let prefix = '';
  afterEach(async () => {
    for (const c of relay?.workers ?? []) c.kill('SIGKILL');
    relay = undefined;
    await h?.close();
    h = undefined;
  });

  /** The harness and the three workers; `command` asked by alice and approved by bob. */
  async function approved(
    runPrefix: string,
    command: string,
    hooks: (crash: () => Promise<void>) => ProxyHooks,
    restart?: (url: string) => string,
  ) {
    const crash = () => relay!.crash();
    prefix = runPrefix;
    h = await startMaintenanceHarness({
      worker: false,
      prefix,
      commands: (url) => ({ ...simNodeCommands(url), ...(restart ? { restart: restart(url) } : {}) }),
      timeouts: { leaveMs: 3_000 },
      proxyHooks: hooks(crash),
    });
    const env = { SSH_PRIVATE_KEY_PATH: inject('sshd').privateKeyPath };
    relay = new Relay(
      await Promise.all([
        startWorkerProcess(h, prefix, env),
        startWorkerProcess(h, prefix, env, { held: true }),
        startWorkerProcess(h, prefix, env, { held: true }),
      ]),
    );
    await h.driver.command('/es', command, alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    return card;
  }

  const bounce = (runPrefix: string, restart: (url: string) => string, hooks: Parameters<typeof approved>[2]) =>
    approved(runPrefix, 'bounce node-2', hooks, restart);

  async function finished(card: { ts: string }) {
    await eventually(
      () => h!.threadTexts(card.ts).find((t) => t.includes(':tada:')),
      'the run to finish on the third worker',
      40_000,
    );
    // Each setting written once and the node restarted once, whatever the crashes; each step done once.
    expect(clusterActions(h!)).toEqual(['enable=primaries', 'restart node-2', 'enable=null']);
    expect(await stepDoneCounts(prefix)).toEqual({
      'disable-before-node-2': 1,
      'restart-node-2': 1,
      'enable-after-node-2': 1,
      'recover-after-node-2': 1,
    });
    return h!.threadTexts(card.ts);
  }

  test('settings write lost with its worker; restart landed, its worker killed before recording it', async () => {
    let writes = 0;
    let restarts = 0;
    const card = await bounce(
      `intent-a-${Date.now()}`,
      (url) => `curl -sf -X POST '${url}/_sim/nodes/{node}/_restart?delay_ms=20000' && sleep 3`,
      (crash) => ({
        // The worker dies with its write on the wire: it never reaches the cluster.
        beforeForward: async (r) => {
          if (!enableWrite('primaries')(r) || writes++ > 0) return true;
          await crash();
          return false;
        },
        // The restart reached the node; its worker dies while the command still runs.
        afterResponse: async (r) => {
          if (restartOf('node-2')(r) && restarts++ === 0) await crash();
        },
      }),
    );
    const thread = await finished(card);
    expect(thread.some((t) => t.includes('enable = primaries (was unset)') && !t.includes('worker restart'))).toBe(
      true,
    );
    expect(
      thread.some((t) => t.includes('node-2: the restart sent before a worker restart took effect')),
      'the restart is said to have landed, not sent again',
    ).toBe(true);
  }, 60_000);

  test('settings write landed, its worker killed before recording it; restart said but never sent', async () => {
    let writes = 0;
    const redis = new Redis(inject('redisUrl'));
    try {
      const card = await bounce(
        `intent-b-${Date.now()}`,
        // The command waits before acting: a worker killed meanwhile takes it down with it (pty).
        (url) => `sleep 4 && curl -sf -X POST '${url}/_sim/nodes/{node}/_restart?delay_ms=20000'`,
        (crash) => ({
          afterResponse: async (r) => {
            if (enableWrite('primaries')(r) && writes++ === 0) await crash();
          },
        }),
      );
      // The second worker says it is about to restart node-2, then dies before the command acts.
      const [runKey] = await redis.keys(`${prefix}:run:r-????????????`);
      await eventually(
        async () => {
          const run = JSON.parse((await redis.hget(runKey!, 'doc')) ?? '{}') as Run;
          return run.steps?.find((s) => s.id === 'restart-node-2')?.intent;
        },
        'the restart intent',
        30_000,
      );
      await relay!.crash();
      const thread = await finished(card);
      expect(
        thread.some((t) => t.includes('enable = primaries (was unset), written before a worker restart')),
        'the write is reported as this run’s, not as "was already"',
      ).toBe(true);
      expect(thread.some((t) => t.includes('was already'))).toBe(false);
      expect(thread.some((t) => t.includes('restart sent before a worker restart'))).toBe(false);
    } finally {
      redis.disconnect();
    }
  }, 60_000);

  test(
    "a drain's exclusion write landed, its worker killed before recording it: the next worker finds it in " +
      'place, says so and waits; never "already in", never a second write',
    async () => {
      let writes = 0;
      const card = await approved(`intent-c-${Date.now()}`, 'drain node-2', (crash) => ({
        afterResponse: async (r) => {
          if (excludeWrite(r) && writes++ === 0) await crash();
        },
      }));
      const thread = await eventually(
        () => {
          const t = h!.threadTexts(card.ts);
          return t.some((x) => x.includes('node-2 is empty: safe to stop')) ? t : undefined;
        },
        'the drain to finish on the second worker',
        40_000,
      );
      expect(clusterActions(h!).filter((a) => a.startsWith('exclude.'))).toEqual(['exclude._ip=172.31.0.12']);
      expect(await stepDoneCounts(prefix)).toMatchObject({ 'move-shards-off': 1, 'wait-for-empty': 1 });
      expect(thread.some((t) => t.includes('written before a worker restart'))).toBe(true);
      expect(thread.some((t) => t.includes('already in'))).toBe(false);
      // Its change counts as made: the run offers to take it back like any drain's.
      const run = (await h!.stack.bot.engine.listRuns())[0]!;
      expect(run.steps.find((s) => s.id === 'move-shards-off')).toMatchObject({ status: 'done', landed: true });
    },
    60_000,
  );
});
