import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SERVICE_PROGRAM, TEST_SECRET } from '../../src/sim/activedata/index.js';
import { LOG_LIMITS } from '../../src/targets/activedata/index.js';
import { eventually } from '../support/wait.js';
import { alice, startServiceHarness, type ServiceHarness } from './service-fixture.js';

/** Every section of a message within Slack's limits (3,000 characters a text, 50 blocks). */
function withinSlackLimits(blocks: unknown[] | undefined): boolean {
  const list = (blocks ?? []) as { text?: { text?: string } }[];
  return list.length <= 50 && list.every((b) => (b.text?.text?.length ?? 0) <= 3000);
}

describe('/activedata status, logs and config: read-only, bounded, nothing from Slack reaches a shell', () => {
  let h: ServiceHarness;
  const canaryDir = mkdtempSync(join(tmpdir(), 'opsbot-canary-'));
  beforeAll(async () => {
    h = await startServiceHarness();
  });
  afterAll(async () => {
    await h?.close();
    rmSync(canaryDir, { recursive: true, force: true });
  });

  const latest = () => h.cards()[h.cards().length - 1]!;
  const newMessage = async (count: number) =>
    eventually(() => h.cards().length > count && latest(), 'a new channel message');
  /** Logs and config answer alice alone: an ephemeral, and files in her DM with the bot. */
  const toAlice = () => h.view.ephemerals(alice.user_id);
  const newEphemeral = async (count: number) =>
    eventually(() => toAlice().length > count && toAlice()[toAlice().length - 1], 'a new ephemeral to alice');
  const newDmFile = async (count: number) =>
    eventually(() => {
      const files = h.stack.slack.files().filter((f) => f.completed);
      return files.length > count ? files[files.length - 1] : undefined;
    }, 'a file in the DM');
  const fileCount = () => h.stack.slack.files().filter((f) => f.completed).length;

  test('status: supervisor state and uptime, the current commit, the health answer', async () => {
    const before = h.cards().length;
    await h.command('status', alice);
    const text = h.cardText(await newMessage(before));
    const head = h.frontend.head();
    expect(text).toMatch(new RegExp(`${SERVICE_PROGRAM} \\*RUNNING\\*, up \\d+s \\(pid \\d+\\)`));
    expect(text).toContain(`\`${head.slice(0, 7)}\` ActiveData service`);
    expect(text).toContain('on master');
    expect(text).toMatch(new RegExp(`HTTP 200 in \\d+ ms: commit \`${head.slice(0, 12)}\` \\(master\\)`));
    expect(text).not.toContain(':warning:');

    // The checkout moved but nobody restarted: status says the two disagree.
    h.frontend.pushCommit('Pulled by hand');
    h.frontend.git('pull', '--quiet', '--ff-only', 'origin', 'master');
    const count = h.cards().length;
    await h.command('status', alice);
    expect(h.cardText(await newMessage(count))).toContain(
      `The service answers commit \`${head.slice(0, 7)}\` but the checkout is at \`${h.frontend.head().slice(0, 7)}\``,
    );
  });

  test('logs: a note to the requester alone, the last lines as a snippet in their DM, none in channel', async () => {
    for (let i = 0; i < 30; i++)
      appendFileSync(
        h.frontend.service.logFile,
        `2016-03-01 12:00:${String(i).padStart(2, '0')} - query ${i} took 12ms\n`,
      );
    const [cards, notes, files] = [h.cards().length, toAlice().length, fileCount()];
    await h.command('logs 5', alice);
    const note = await newEphemeral(notes);
    expect(h.view.text(note)).toContain(
      `Last 5 lines of ${h.frontend.service.logFile} on 127.0.0.1: sent to you in a DM with the bot.`,
    );
    const file = await newDmFile(files);
    expect(file.content!.toString().trimEnd().split('\n')).toEqual(
      [25, 26, 27, 28, 29].map((i) => `2016-03-01 12:00:${i} - query ${i} took 12ms`),
    );
    expect(file.channel).toBe('D0ALICE');
    expect(h.cards()).toHaveLength(cards);
    expect(h.stack.slack.callsTo('conversations.open').at(-1)?.args).toMatchObject({ users: alice.user_id });
  });

  test('logs --grep: the text is searched for literally; an injected "; rm -rf" or $(…) runs nothing', async () => {
    const canary = join(canaryDir, 'canary');
    writeFileSync(canary, 'still here\n');
    const hostile = `; rm -rf ${canaryDir} $(touch ${canaryDir}/pwned) \`touch ${canaryDir}/pwned2\``;
    appendFileSync(h.frontend.service.logFile, `GET /query?q=${hostile} 400\nan ordinary line\n`);
    const [notes, files] = [toAlice().length, fileCount()];
    await h.command(`logs 20 --grep "${hostile}"`, alice);
    await newEphemeral(notes);
    const file = await newDmFile(files);
    expect(file.content!.toString()).toBe(`GET /query?q=${hostile} 400\n`);
    expect(existsSync(canary)).toBe(true);
    expect(existsSync(join(canaryDir, 'pwned'))).toBe(false);
    expect(existsSync(join(canaryDir, 'pwned2'))).toBe(false);

    const count = toAlice().length;
    await h.command('logs --grep "no such line anywhere"', alice);
    expect(h.view.text(await newEphemeral(count))).toContain('containing “no such line anywhere”: *none*.');

    // Echoed search text cannot ping anyone.
    const n = toAlice().length;
    await h.command('logs --grep "<!channel>"', alice);
    const echo = await newEphemeral(n);
    expect(echo.text).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(echo.blocks)).not.toContain('<!channel>');
  });

  test('logs are bounded: at most the byte cap leaves the host, and the reply says older lines were cut', async () => {
    const line = `${'x'.repeat(990)}\n`;
    appendFileSync(h.frontend.service.logFile, line.repeat(600)); // ~600 kB
    const [notes, files] = [toAlice().length, fileCount()];
    await h.command('logs 1000', alice);
    expect(h.view.text(await newEphemeral(notes))).toContain('older lines cut');
    const file = await newDmFile(files);
    expect(file.content!.length).toBeLessThanOrEqual(LOG_LIMITS.maxBytes + 1);
    expect(
      file
        .content!.toString()
        .split('\n')
        .every((l) => l === '' || l === 'x'.repeat(990)),
    ).toBe(true);
  });

  test(
    'when Slack refuses the upload, the newest lines that fit are ' + "shown in a code block within Slack's limits",
    async () => {
      h.stack.slack.failNext('files.getUploadURLExternal', { error: 'not_allowed_token_type' });
      appendFileSync(h.frontend.service.logFile, 'the very last line\n');
      const before = toAlice().length;
      await h.command('logs 200', alice);
      const inline = await newEphemeral(before);
      const text = h.view.text(inline);
      expect(text).toContain('the very last line');
      expect(text).toMatch(/Only the newest \d+ of 200 lines fit a message/);
      expect(withinSlackLimits(inline.blocks)).toBe(true);
    },
  );

  test('config: supervisord.conf with its secrets masked, to the requester alone', async () => {
    const [cards, before] = [h.cards().length, toAlice().length];
    await h.command('config', alice);
    const msg = await newEphemeral(before);
    expect(h.cards()).toHaveLength(cards);
    const text = h.view.text(msg);
    expect(text).toContain(`${h.frontend.service.configFile} on 127.0.0.1`);
    expect(text).toContain(`[program:${SERVICE_PROGRAM}]`);
    expect(text).toContain('ACTIVEDATA_SECRET_KEY="••••••"');
    expect(text).toContain('startsecs=1');
    expect(JSON.stringify(msg)).not.toContain(TEST_SECRET);
    expect(JSON.stringify(h.stack.slack.callsTo('chat.postMessage'))).not.toContain(TEST_SECRET);
    expect(JSON.stringify(h.stack.slack.responses)).not.toContain(TEST_SECRET);
    expect(withinSlackLimits(msg.blocks)).toBe(true);
  });
});
