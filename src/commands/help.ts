import { COMMAND_SPECS, commandKey, specsFor, usageLine } from './grammar.js';
import { SLASH_COMMANDS, type Slash } from './types.js';

/** `key` is the command's policy name ("es drain"). */
export interface HelpEntry {
  key: string;
  usage: string;
  summary: string;
  changes: boolean;
}

/** One line a command: usage and what it does; commands that change the estate are marked. */
export function helpEntries(slash?: Slash): HelpEntry[] {
  const specs = slash ? specsFor(slash) : [...COMMAND_SPECS];
  return specs.map((s) => ({ key: commandKey(s), usage: usageLine(s), summary: s.summary, changes: s.changes }));
}

export function helpSlashes(slash?: Slash): readonly Slash[] {
  return slash ? [slash] : SLASH_COMMANDS;
}
