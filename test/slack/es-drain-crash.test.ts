import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { alice, bob, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { clusterActions, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { eventually } from '../support/wait.js';
import { CRASH_TIMING, startWorkerProcess } from '../support/worker-process.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';
describe('a drain survives its worker being SIGKILLed', () => {
  let h: DrainHarness;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children) c.kill('SIGKILL');
    await h?.close();
  });

  test(
    'killed mid-drain and started again: resumes in the same ' + 'thread, writes the setting once, completes',
    async () => {
      const prefix = `crash-${Date.now()}`;
      // A slow drain (so the kill lands mid-way) and no worker in the test process.
      h = await startDrainHarness({ worker: false, prefix, speed: 5, ...CRASH_TIMING });
      children.push(await startWorkerProcess(h, prefix));
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      await eventually(
        async () => {
          const run = (await h.stack.bot.engine.listRuns())[0];
          const wait = run?.steps.find((s) => s.id === 'wait-for-empty');
          return wait && wait.attempts >= 2 && (wait.progress?.fraction ?? 0) < 0.9;
        },
        'the drain to be waiting mid-way',
        20_000,
      );

      children[0]!.kill('SIGKILL');
      const before = (await h.stack.bot.engine.listRuns())[0]!;
      expect(before.status).not.toBe('succeeded');
      h.stack.es.setSpeed(50);
      children.push(await startWorkerProcess(h, prefix));

      await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
        'the drain to finish after the restart',
        40_000,
      );
      const run = (await h.stack.bot.engine.listRuns())[0]!;
      expect(run.status).toBe('succeeded');
      expect(run.steps.find((s) => s.id === 'move-shards-off')!.attempts).toBe(1);
      expect(h.proxy.settingsWrites()).toEqual([{ persistent: { [EXCLUDE]: '172.31.0.39' } }]);
      // One card, one thread: every reply of the run is under the card. The channel's top-level posts
      // only: the approval DMs to bob and carol (conversations.open, then chat.postMessage) are no card.
      expect(h.stack.slack.messages('C0OPS')).toHaveLength(1);
      const topLevel = (channel: string) =>
        h.stack.slack.calls.filter(
          (c) => c.method === 'chat.postMessage' && c.args.channel === channel && !c.args.thread_ts,
        );
      expect(topLevel('C0OPS')).toHaveLength(1);
      // Each approver asked once, before the crash: the restarted worker does not ask again.
      expect(topLevel('D0BOB')).toHaveLength(1);
      expect(topLevel('D0CAROL')).toHaveLength(1);
    },
    90_000,
  );
});

describe('a maintenance run survives its worker being SIGKILLed during the pause', () => {
  let h: DrainHarness;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children) c.kill('SIGKILL');
    await h?.close();
  });

  test(
    'killed while paused for Done: a new worker resumes at the pause, ' + 'the node is stopped once and started once',
    async () => {
      const prefix = `crash-maint-${Date.now()}`;
      h = await startMaintenanceHarness({ worker: false, prefix });
      const sshEnv = { SSH_PRIVATE_KEY_PATH: inject('sshd').privateKeyPath };
      children.push(await startWorkerProcess(h, prefix, sshEnv));
      await h.driver.command('/es', 'maintain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      await eventually(async () => (await h.stack.bot.engine.listRuns())[0]?.status === 'paused', 'the pause', 30_000);
      children[0]!.kill('SIGKILL');
      children.push(await startWorkerProcess(h, prefix, sshEnv));
      const paused = (await h.stack.bot.engine.listRuns())[0]!;
      expect(paused.status).toBe('paused');
      expect(paused.cursor).toBe('perform-changes');
      await h.click('run_resume', alice, await h.cardWithButton('run_resume'));
      await eventually(() => h.threadTexts(card.ts).find((t) => t.includes(':tada:')), 'the run to finish', 30_000);
      expect(clusterActions(h)).toEqual([
        'exclude._ip=172.31.0.39',
        'enable=none',
        'stop node-3',
        'start node-3',
        'enable=null', // unset before the run: removed again (I3)
        'exclude._ip=null',
      ]);
      expect(h.stack.slack.messages('C0OPS')).toHaveLength(1);
    },
    90_000,
  );
});
