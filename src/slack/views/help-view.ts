import { helpEntries, helpSlashes } from '../../commands/help.js';
import type { Slash } from '../../commands/types.js';
import { context, escapeMrkdwn, header, section, SECTION_LIMIT, type Block, type SlackMessage } from './blocks.js';

/**
 * One line a command; commands that change the estate say that a second person approves them.
 * `mayRun` filters to what the asking user may run (the policy); the rest is counted, not shown.
 */
export function helpView(slash?: Slash, mayRun: (key: string) => boolean = () => true): SlackMessage {
  const blocks: Block[] = [header(slash ? `${slash} commands` : 'opsbot commands')];
  const lines: string[] = [];
  let hidden = 0;
  for (const s of helpSlashes(slash)) {
    let chunk = '';
    for (const e of helpEntries(s)) {
      if (!mayRun(e.key)) {
        hidden++;
        continue;
      }
      const approval = e.changes ? ' _(needs a second person to approve)_' : '';
      const line = `\`${escapeMrkdwn(e.usage)}\` — ${e.summary}${approval}`;
      lines.push(line);
      if (chunk && chunk.length + line.length + 1 > SECTION_LIMIT) {
        blocks.push(section(chunk));
        chunk = '';
      }
      chunk = chunk ? `${chunk}\n${line}` : line;
    }
    if (chunk) blocks.push(section(chunk));
  }
  const notes = [
    'Every command takes `--cluster NAME` where a cluster is involved; the default comes from opsbot.yaml.',
    'In an emergency, commands that change something take `--break-glass "REASON"`: the responders the ' +
      'policy names run them without a second approval, announced in the channel and the audit log.',
  ];
  if (hidden) notes.push(`${hidden} more command(s) are not shown: the policy does not let you run them here.`);
  blocks.push(context(notes.join(' ')));
  return { text: lines.join('\n'), blocks };
}
