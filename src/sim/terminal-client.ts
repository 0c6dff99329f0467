import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { listButtons, renderBlocksAsText, type FakeSlack, type SlackDriver } from './slack/index.js';
import type { StoredMessage } from './slack/types.js';

/** People of the local workspace: alice asks, bob and carol approve (see the local estate). */
export const LOCAL_USERS: Record<string, string> = { alice: 'U0ALICE', bob: 'U0BOB', carol: 'U0CAROL' };
export const LOCAL_CHANNEL = 'C0LOCALOPS';

const HELP = `Type a slash command as in Slack, e.g. /es status. Other lines:
  :as NAME              act as another person (${Object.keys(LOCAL_USERS).join(', ')})
  :click ACTION [#N]    press a button, e.g. :click run_approve (latest message with it) or :click run_cancel #3
  :speed FACTOR         simulated ms per real ms (1000 ≈ a 2 TB drain in a few minutes)
  :help, :quit`;

export interface TerminalClientOptions {
  slack: FakeSlack;
  driver: SlackDriver;
  input: Readable;
  output: Writable;
  setSpeed?: (factor: number) => void;
}

/**
 * A Slack client on a terminal: lines typed become signed slash commands and button clicks sent
 * to the bot's real receiver; what the bot posts to the Slack stand-in is printed as text.
 * Resolves when the user quits or input ends.
 */
export function runTerminalClient(opts: TerminalClientOptions): Promise<void> {
  const { slack, driver, output } = opts;
  let user = 'alice';
  const numbers = new Map<string, number>();
  const numberOf = (m: StoredMessage) => {
    if (!numbers.has(m.ts)) numbers.set(m.ts, numbers.size + 1);
    return numbers.get(m.ts)!;
  };
  const print = (s: string) => output.write(`${s}\n`);
  const indent = (s: string, p: string) =>
    s
      .split('\n')
      .map((l) => p + l)
      .join('\n');

  const lastRender = new Map<string, string[]>();
  slack.on('message', (m) => {
    const n = numberOf(m);
    const body = renderBlocksAsText(m.blocks ?? [], m.text);
    lastRender.set(m.ts, body.split('\n'));
    if (m.thread_ts && m.thread_ts !== m.ts)
      print(indent(body, `  ↳ [thread of #${numbers.get(m.thread_ts) ?? '?'}] `));
    else print(`[#${n}] opsbot:\n${indent(body, '  ')}`);
  });
  // A live card is updated every few seconds: print only the lines that changed, not the whole card.
  slack.on('update', (m) => {
    const lines = renderBlocksAsText(m.blocks ?? [], m.text).split('\n');
    const before = new Set(lastRender.get(m.ts) ?? []);
    lastRender.set(m.ts, lines);
    const changed = lines.filter((l) => !before.has(l));
    if (changed.length) print(`[#${numberOf(m)} updated]\n${indent(changed.join('\n'), '  ')}`);
  });
  slack.on('ephemeral', (e) => {
    const who = Object.entries(LOCAL_USERS).find(([, id]) => id === e.user)?.[0] ?? e.user;
    print(`(only ${who} sees this)\n${indent(renderBlocksAsText(e.blocks ?? [], e.text), '  ')}`);
  });

  const actor = () => ({
    user_id: LOCAL_USERS[user]!,
    user_name: user,
    channel_id: LOCAL_CHANNEL,
    channel_name: 'ops',
  });

  async function click(actionId: string, ref?: string): Promise<void> {
    const all = slack.messages(LOCAL_CHANNEL);
    const wanted = ref ? Number(ref.replace('#', '')) : undefined;
    const target = [...all]
      .reverse()
      .find(
        (m) =>
          (wanted === undefined || numbers.get(m.ts) === wanted) &&
          listButtons(m.blocks ?? []).some((b) => b.button.action_id === actionId),
      );
    if (!target) {
      print(`no message${wanted ? ` #${wanted}` : ''} has a button ${actionId}`);
      return;
    }
    await driver.click({ action_id: actionId }, actor(), {
      channel: LOCAL_CHANNEL,
      ts: target.ts,
      blocks: target.blocks,
    });
  }

  async function handle(line: string): Promise<boolean> {
    const text = line.trim();
    if (!text) return true;
    if (text === ':quit' || text === ':q') return false;
    if (text === ':help') {
      print(HELP);
      return true;
    }
    const [word, ...rest] = text.split(/\s+/);
    if (word === ':as') {
      if (!rest[0] || !LOCAL_USERS[rest[0]]) print(`unknown person; one of ${Object.keys(LOCAL_USERS).join(', ')}`);
      else user = rest[0];
      return true;
    }
    if (word === ':click' && rest[0]) {
      await click(rest[0], rest[1]);
      return true;
    }
    if (word === ':speed' && rest[0] && opts.setSpeed) {
      opts.setSpeed(Number(rest[0]));
      print(`speed ×${Number(rest[0])}`);
      return true;
    }
    if (word?.startsWith('/')) {
      const res = await driver.command(word, text.slice(word.length).trim(), actor());
      if (res.status !== 200)
        print(`Slack would show: "${word} failed with the error "dispatch_failed"" (HTTP ${res.status})`);
      return true;
    }
    print(`not a slash command: ${text}\n${HELP}`);
    return true;
  }

  return new Promise((resolve) => {
    const rl = createInterface({ input: opts.input, terminal: false });
    const prompt = () => output.write(`${user}> `);
    print(`Local Slack channel #ops. You are ${user}. ${HELP.split('\n')[0]} (:help for more)`);
    prompt();
    let queue = Promise.resolve(true);
    rl.on('line', (line) => {
      queue = queue.then(async (go) => {
        if (!go) return false;
        const more = await handle(line).catch((err) => {
          print(`error: ${(err as Error).message}`);
          return true;
        });
        if (!more) rl.close();
        else prompt();
        return more;
      });
    });
    rl.on('close', () => {
      void queue.then(() => resolve());
    });
  });
}
