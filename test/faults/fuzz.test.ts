import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { SLASH_COMMANDS } from '../../src/commands/types.js';
import { type DrainHarness } from '../support/drain-fixture.js';
import { simNodeCommands, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { eventually } from '../support/wait.js';

/** A small seeded generator (mulberry32): the same hostile texts on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = [
  'status',
  'settings',
  'drain',
  'undrain',
  'bounce',
  'maintain',
  'allocation',
  'exclude-zone',
  'include-zone',
  'rolling-restart',
  'help',
  'jobs',
  'audit',
  'cancel',
  'deploy',
  'logs',
  'budget',
  'STATUS',
  'dra1n',
  '',
];
const HOSTILE = [
  ';',
  '; rm -rf /',
  '$(reboot)',
  '`id`',
  '"',
  "'",
  '\\',
  '&&',
  '||',
  '|',
  '>',
  '<',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '%00',
  '../../etc/passwd',
  '--cluster',
  '--cluster=prod;id',
  '--dry-run',
  '--change',
  '--zone',
  '--run',
  '--grep',
  '$HOME',
  '${IFS}',
  '*',
  '?',
  '~',
  '#',
  '!',
  'node-1',
  'node-2',
  'node-9',
  'NODE-1',
  'node-1;id',
  'node-1 && id',
  "node-1'",
  'node-1"',
  '‮node-1',
  'nöde',
  '节点',
  '🔥',
  'x'.repeat(5000),
  '<@U0ADMIN>',
  '<!channel>',
  '<https://evil.example|click>',
  'none',
  'all',
  'spot',
  'primaries',
  '1e9',
  '-1',
  'NaN',
  '0x10',
  'r-000000000000',
];

function hostileText(next: () => number): string {
  const words = [VERBS[Math.floor(next() * VERBS.length)]!];
  const n = Math.floor(next() * 5);
  for (let i = 0; i < n; i++) words.push(HOSTILE[Math.floor(next() * HOSTILE.length)]!);
  const joiner = next() < 0.8 ? ' ' : '';
  return words.join(joiner).slice(0, next() < 0.05 ? 20_000 : 600);
}

describe('hostile command texts', () => {
  let h: DrainHarness;
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-fuzz-host-'));
  const received = join(dir, 'received');

  beforeAll(async () => {
    // Every node command the SSH host runs first records the node value it was given.
    const record = (cmd: string) => `printf '%s\\n' {node} >> ${received}; ${cmd}`;
    h = await startMaintenanceHarness({
      commands: (url) => Object.fromEntries(Object.entries(simNodeCommands(url)).map(([k, v]) => [k, record(v)])),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('2,000 random and hostile texts: every one answered, no crash, nothing reaches a shell', async () => {
    const next = rng(20161125);
    const total = 2_000;
    const statuses: number[] = [];
    for (let batch = 0; batch < total; batch += 50) {
      const sends = [];
      for (let i = batch; i < Math.min(total, batch + 50); i++) {
        const slash = SLASH_COMMANDS[Math.floor(next() * SLASH_COMMANDS.length)]!;
        const user = `U0FUZZ${String(i).padStart(5, '0')}`;
        sends.push(
          h.driver.command(slash, hostileText(next), { user_id: user, channel_id: 'C0OPS' }).then((r) => r.status),
        );
      }
      statuses.push(...(await Promise.all(sends)));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Every request got a visible answer: to the requester, in the channel, or a node picker (a
    // drain, bounce, maintain or undrain typed without a node opens one).
    const answers = new Set(['chat.postMessage', 'chat.postEphemeral', 'views.open']);
    await eventually(
      () => {
        const answered =
          h.stack.slack.responses.length + h.stack.slack.calls.filter((c) => answers.has(c.method)).length;
        return answered >= total;
      },
      'an answer to every request',
      60_000,
    );
    const replies = h.stack.slack.responses.map((r) => String(r.text ?? ''));
    expect(replies.some((t) => t.includes('Something went wrong'))).toBe(false);
    // Still healthy afterwards.
    h.stack.slack.reset();
    await h.driver.command('/es', 'status', { user_id: 'U0ALICE', channel_id: 'C0OPS' });
    await eventually(
      () => h.stack.slack.messages('C0OPS').some((m) => m.text.includes('is green')),
      'a normal status answer',
    );
    // Approve whatever the fuzz managed to request, and let it run: node commands reach the SSH
    // host with node values from the cluster's own list, never with the text that was typed.
    // Approved as often as they ask: a run asks again when its facts changed under it (another
    // fuzzed run changed the cluster) or when a later destructive step needs its own approval.
    const engine = h.stack.bot.engine;
    await eventually(
      async () => {
        for (const run of await engine.listRuns({ limit: 50, statuses: ['awaiting_approval'] }))
          await engine.approve(run.id, 'U0BOB');
        const live = await engine.listRuns({
          limit: 50,
          statuses: ['running', 'waiting', 'awaiting_approval', 'cancelling'],
        });
        return live.length === 0;
      },
      'the approved runs to settle',
      60_000,
    );
    const lines = existsSync(received) ? readFileSync(received, 'utf8').split('\n').filter(Boolean) : [];
    expect(lines.every((l) => ['node-1', 'node-2', 'node-3', 'node-4'].includes(l))).toBe(true);
    expect(inject('sshd').port).toBeGreaterThan(0);
  }, 180_000);
});
