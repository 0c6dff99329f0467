import { tokenize } from './tokenize.js';
import { ACTIVEDATA_COMMANDS } from './activedata-commands.js';
import { ES_COMMANDS } from './es-commands.js';
import { ETL_COMMANDS } from './etl-commands.js';
import { OPS_COMMANDS } from './ops-commands.js';
import { BREAK_GLASS_FLAG, type CommandSpec, type ParsedValues } from './spec.js';
import { SLASH_COMMANDS, type ParseResult, type Slash } from './types.js';

/** Node, cluster, index and zone names: what Elasticsearch and our config accept, nothing a shell cares about. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** A git commit id as people paste it: an abbreviated (7+) or full sha. */
const COMMIT = /^[0-9a-fA-F]{7,40}$/;

/** Every command of every slash command: one list, one parser. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  ...ES_COMMANDS,
  ...OPS_COMMANDS,
  ...ACTIVEDATA_COMMANDS,
  ...ETL_COMMANDS,
];

export function specsFor(slash: Slash): CommandSpec[] {
  return COMMAND_SPECS.filter((s) => s.slash === slash);
}

/** The name policy rules match: "es drain" for /es drain. */
export function commandKey(spec: CommandSpec): string {
  return `${spec.slash.slice(1)} ${spec.verb}`;
}

export function usageLine(spec: CommandSpec): string {
  const args = spec.args.map((a) => {
    const label = a.kind === 'enum' && a.values ? a.values.join('|') : `<${a.name}>`;
    const one = a.optional ? `[${label}]` : label;
    return a.variadic ? `${one} [${label} ...]` : one;
  });
  const flags = spec.flags.map((f) =>
    f.kind === 'boolean' ? `[--${f.name}]` : `[--${f.name} ${f.name.toUpperCase()}]`,
  );
  return [spec.slash, spec.verb, ...args, ...flags].join(' ');
}

function isSlash(s: string): s is Slash {
  return (SLASH_COMMANDS as readonly string[]).includes(s);
}

/** Text of a slash command → a typed command, or a usage error that says what was wrong. */
export function parseCommand(slash: string, text: string): ParseResult {
  if (!isSlash(slash))
    return { ok: false, error: `unknown slash command ${slash}`, usage: SLASH_COMMANDS.map((s) => `${s} help`) };
  const specs = specsFor(slash);
  const allUsage = specs.map(usageLine);
  const tokens = tokenize(text.trim());
  if (!tokens.ok) return { ok: false, error: tokens.error, usage: allUsage };
  const [verb, ...rest] = tokens.words;
  // A bare "/es" is a request for help, not an error.
  const spec = specs.find((s) => s.verb === (verb ?? 'help').toLowerCase());
  if (verb === undefined && spec)
    return { ok: true, command: spec.build({ args: {}, flags: {} }), key: commandKey(spec), changes: spec.changes };
  if (!spec || verb === undefined)
    return { ok: false, error: `unknown command "${clip(verb ?? '')}" for ${slash}`, usage: allUsage };
  const values = bind(spec, rest);
  if ('error' in values) return { ok: false, error: values.error, usage: [usageLine(spec)] };
  const breakGlass = values.flags[BREAK_GLASS_FLAG.name];
  return {
    ok: true,
    command: spec.build(values),
    key: commandKey(spec),
    changes: spec.changes,
    ...(typeof breakGlass === 'string' ? { breakGlass } : {}),
  };
}

/** The flags a command takes: its own, and --break-glass on every command that changes something. */
function flagsOf(spec: CommandSpec): readonly CommandSpec['flags'][number][] {
  return spec.changes ? [...spec.flags, BREAK_GLASS_FLAG] : spec.flags;
}

function bind(spec: CommandSpec, words: string[]): ParsedValues | { error: string } {
  const out: ParsedValues = { args: {}, flags: {} };
  const positionals: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('--')) {
      positionals.push(w);
      continue;
    }
    const [rawName, inline] = w.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const flag = flagsOf(spec).find((f) => f.name === rawName);
    if (!flag) return { error: `unknown option --${clip(rawName)}` };
    if (flag.name in out.flags) return { error: `--${flag.name} given twice` };
    if (flag.kind === 'boolean') {
      if (inline !== undefined) return { error: `--${flag.name} takes no value` };
      out.flags[flag.name] = true;
      continue;
    }
    const value = inline ?? words[++i];
    // `--grep=--verbose` searches for "--verbose"; `--grep --verbose` is a missing value.
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      return { error: `--${flag.name} needs a value` };
    const checked =
      flag.kind === 'text'
        ? checkText(flag.name, value)
        : checkValue(flag.name, flag.kind === 'number' ? 'number' : 'name', value);
    if (typeof checked === 'object') return checked;
    out.flags[flag.name] = checked;
  }
  const required = spec.args.filter((a) => !a.optional).length;
  if (positionals.length < required) return { error: `missing <${spec.args[positionals.length]!.name}>` };
  const variadic = spec.args[spec.args.length - 1]?.variadic === true;
  if (positionals.length > spec.args.length && !variadic)
    return { error: `unexpected "${clip(positionals[spec.args.length]!)}"` };
  for (const [i, a] of spec.args.entries()) {
    if (a.variadic) {
      const list: string[] = [];
      for (const raw of positionals.slice(i)) {
        const checked = checkValue(a.name, 'name', raw);
        if (typeof checked === 'object') return checked;
        if (list.includes(String(checked))) {
          if (a.fold) continue;
          return { error: `${a.name} "${clip(raw)}" given twice` };
        }
        list.push(String(checked));
      }
      out.args[a.name] = list;
      continue;
    }
    const raw = positionals[i];
    if (raw === undefined) continue;
    if (a.kind === 'enum' && !a.values!.includes(raw))
      return { error: `<${a.name}> must be one of ${a.values!.join(', ')} (got "${clip(raw)}")` };
    const checked = checkValue(a.name, a.kind === 'enum' ? 'name' : a.kind, raw);
    if (typeof checked === 'object') return checked;
    out.args[a.name] = checked;
  }
  return out;
}

function checkValue(
  label: string,
  kind: 'name' | 'number' | 'commit',
  raw: string,
): string | number | { error: string } {
  if (kind === 'commit') {
    return COMMIT.test(raw)
      ? raw.toLowerCase()
      : { error: `${label} must be a commit id: 7 to 40 hexadecimal digits (got "${clip(raw)}")` };
  }
  if (kind === 'number') {
    const n = Number(raw);
    return Number.isFinite(n) && /^\d+(\.\d+)?$/.test(raw)
      ? n
      : { error: `${label} must be a number (got "${clip(raw)}")` };
  }
  return NAME.test(raw)
    ? raw
    : { error: `${label} "${clip(raw)}" is not a valid name (letters, digits, ".", "_", "-")` };
}

/** Free text (a search string): any printable characters, one line, bounded. Never shell syntax downstream. */
function checkText(label: string, raw: string): string | { error: string } {
  if (raw.length === 0 || raw.length > 200) return { error: `--${label} takes 1 to 200 characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { error: `--${label} must be one line of printable text` };
  return raw;
}

/** Echoed user text is clipped so a hostile 10 kB argument does not come back as a 10 kB reply. */
function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
