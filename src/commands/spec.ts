import type { Command, Slash } from './types.js';

/** A positional argument. Values are shape-checked here; names are checked against the cluster later. */
/** `variadic`: the last argument takes every remaining word (a list of nodes); `fold`: given twice = once. */
/** `commit`: a git commit id, 7 to 40 hexadecimal digits (a branch or tag name is not accepted). */
export interface ArgSpec {
  name: string;
  kind: 'name' | 'number' | 'enum' | 'commit';
  values?: readonly string[];
  optional?: boolean;
  variadic?: boolean;
  fold?: boolean;
}
/**
 * Flag values are names (shape-checked like arguments), numbers, or `text`: free text such as a
 * search string, one line of at most 200 characters, which must only ever travel as one quoted
 * argument (never inside a command string).
 */
export interface FlagSpec {
  name: string;
  kind: 'boolean' | 'string' | 'number' | 'text';
  help: string;
}

export interface ParsedValues {
  args: Record<string, string | number | string[] | undefined>;
  flags: Record<string, string | number | boolean | undefined>;
}

/** One command of the grammar: its words, its help line, and how its values become a typed command. */
export interface CommandSpec<C extends Command = Command> {
  slash: Slash;
  verb: string;
  args: readonly ArgSpec[];
  flags: readonly FlagSpec[];
  summary: string;
  /** True when the command changes the estate (it then needs a second person's approval). */
  changes: boolean;
  build(v: ParsedValues): C;
}

export const CLUSTER_FLAG: FlagSpec = {
  name: 'cluster',
  kind: 'string',
  help: 'the named cluster from opsbot.yaml (default: its defaultCluster)',
};
export const NODE_ARG: ArgSpec = { name: 'node', kind: 'name' };
/** `--dry-run` on every command that changes something: its plan card, to the requester alone, nothing touched. */
export const DRY_RUN_FLAG: FlagSpec = {
  name: 'dry-run',
  kind: 'boolean',
  help: 'show the plan to you alone and change nothing (no run, no lock, no approval asked)',
};
export const dryRun = (v: ParsedValues): boolean => v.flags['dry-run'] === true;
/**
 * `--break-glass REASON` on every command that changes something (added by the grammar, not by
 * each spec): a responder named in the policy runs it alone; the reason is required.
 */
export const BREAK_GLASS_FLAG: FlagSpec = {
  name: 'break-glass',
  kind: 'text',
  help: 'emergency: run it without a second approval (policy responders only), saying why',
};

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
