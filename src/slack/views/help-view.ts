import { helpEntries, helpSlashes } from '../../commands/help.js';
import type { Slash } from '../../commands/types.js';
import { context, escapeMrkdwn, header, section, type SlackMessage } from './blocks.js';

/** One line a command; commands that change the estate say that a second person approves them. */
export function helpView(slash?: Slash): SlackMessage {
  const blocks = [header(slash ? `${slash} commands` : 'opsbot commands')];
  const lines: string[] = [];
  for (const s of helpSlashes(slash)) {
    for (const e of helpEntries(s)) {
      const line = `\`${escapeMrkdwn(e.usage)}\` — ${e.summary}${e.changes ? ' _(needs a second person to approve)_' : ''}`;
      lines.push(line);
      blocks.push(section(line));
    }
  }
  blocks.push(context('Every command takes `--cluster NAME` where a cluster is involved; the default comes from opsbot.yaml.'));
  return { text: lines.join('\n'), blocks };
}
