import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { SIM_DEFAULTS } from '../../src/sim/slack/index.js';
import { alice, bob, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';
const timing = { drainTiming: { pollMs: 100, stallAfterMs: 60_000 }, cardUpdates: { perMessageMs: 250, globalGapMs: 0 } };

function startWorker(h: DrainHarness, prefix: string): Promise<ChildProcess> {
  const config = {
    redisUrl: inject('redisUrl'), prefix, botToken: SIM_DEFAULTS.botToken, slackApiUrl: h.stack.slack.apiUrl,
    estate: { defaultCluster: 'local', clusters: { local: { url: h.proxy.url } }, approvers: { users: [bob.user_id] } },
    ...timing,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/worker-process.ts'], {
    env: { ...process.env, OPSBOT_TEST_WORKER: JSON.stringify(config), LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('worker ready')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

describe('a drain survives its worker being SIGKILLed', () => {
  let h: DrainHarness;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children) c.kill('SIGKILL');
    await h?.close();
  });

  test('killed mid-drain and started again: resumes in the same thread, writes the setting once, completes', async () => {
    const prefix = `crash-${Date.now()}`;
    // A slow drain (so the kill lands mid-way) and no worker in the test process.
    h = await startDrainHarness({ worker: false, prefix, speed: 5, ...timing });
    children.push(await startWorker(h, prefix));
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(async () => {
      const run = (await h.stack.bot.engine.listRuns())[0];
      const wait = run?.steps.find((s) => s.id === 'wait-for-empty');
      return wait && wait.attempts >= 2 && (wait.progress?.fraction ?? 0) < 0.9;
    }, 'the drain to be waiting mid-way', 20_000);

    children[0]!.kill('SIGKILL');
    const before = (await h.stack.bot.engine.listRuns())[0]!;
    expect(before.status).not.toBe('succeeded');
    h.stack.es.setSpeed(50);
    children.push(await startWorker(h, prefix));

    await eventually(() => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')), 'the drain to finish after the restart', 40_000);
    const run = (await h.stack.bot.engine.listRuns())[0]!;
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.id === 'move-shards-off')!.attempts).toBe(1);
    expect(h.proxy.settingsWrites()).toEqual([{ persistent: { [EXCLUDE]: '172.31.0.39' } }]);
    // One card, one thread: every reply of the run is under the card.
    expect(h.stack.slack.messages('C0OPS')).toHaveLength(1);
    expect(h.stack.slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts)).toHaveLength(1);
  }, 90_000);
});
