import { COMMAND_SPECS, specsFor, usageLine } from './grammar.js';
import { SLASH_COMMANDS, type Slash } from './types.js';

export interface HelpEntry { usage: string; summary: string; changes: boolean }

/** One line a command: usage and what it does; commands that change the estate are marked. */
export function helpEntries(slash?: Slash): HelpEntry[] {
  const specs = slash ? specsFor(slash) : [...COMMAND_SPECS];
  return specs.map((s) => ({ usage: usageLine(s), summary: s.summary, changes: s.changes }));
}

export function helpSlashes(slash?: Slash): readonly Slash[] {
  return slash ? [slash] : SLASH_COMMANDS;
}
