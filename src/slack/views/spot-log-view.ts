import type { SpotLogReport } from '../../runbooks/index.js';
import { codeTable, context, escapeMrkdwn, header, section, type Block, type SlackMessage } from './blocks.js';

/** Marks a trouble line in the monospace listing (colour is not available inside a code block). */
export const TROUBLE_MARK = '‼';

/**
 * `/spot log`: SpotManager's last lines in a code block, trouble lines marked ‼ and repeated
 * above the listing (Can not fund, Time is up, failed requests, warnings), so a phone shows them.
 */
export function spotLogView(log: SpotLogReport): SlackMessage {
  const { lines } = log;
  const trouble = lines.filter((l) => l.trouble && l.entry).map((l) => l.text);
  const blocks: Block[] = [header(`SpotManager log: last ${lines.length} lines`)];
  if (trouble.length) {
    const shown = trouble
      .slice(-8)
      .map((l) => `:warning: \`${escapeMrkdwn(l.length > 200 ? `${l.slice(0, 200)}…` : l)}\``);
    blocks.push(
      section(
        `*${trouble.length} error line${trouble.length === 1 ? '' : 's'}* ` +
          `(marked ${TROUBLE_MARK} below)\n${shown.join('\n')}`,
      ),
    );
  } else if (lines.length) {
    blocks.push(section(':white_check_mark: No error lines in these lines.'));
  }
  if (lines.length) {
    // Keep the newest lines when Slack's limits cut the listing: those are the ones asked about.
    const listing = lines.map((l) => `${l.trouble ? TROUBLE_MARK : ' '} ${l.text}`.replace(/```/g, "'''"));
    blocks.push(...tailTable(listing));
  } else {
    blocks.push(
      section(
        log.missing ? '_There is no log yet: SpotManager has not run with these settings._' : '_The log is empty._',
      ),
    );
  }
  blocks.push(context(`\`${escapeMrkdwn(log.path)}\` on ${escapeMrkdwn(log.where)}`));
  return { text: `SpotManager log: ${lines.length} lines, ${trouble.length} error lines`, blocks };
}

/** The last rows that fit four sections (about 11 kB), with a note of how many were left out. */
function tailTable(lines: string[]): Block[] {
  let size = 0;
  let start = lines.length;
  while (start > 0 && size + lines[start - 1]!.length + 1 <= 4 * 2800) size += lines[--start]!.length + 1;
  const blocks = codeTable(lines.slice(start), 4);
  if (start > 0) blocks.unshift(context(`… ${start} earlier lines left out`));
  return blocks;
}
