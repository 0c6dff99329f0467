import { createHash } from 'node:crypto';

/**
 * The audit trail's hash chain, as it is written to the sink (one JSON object a line): each line
 * carries `seq` (1, 2, 3...), `prev` (the previous line's `hash`; GENESIS for the first) and its own
 * `hash`, SHA-256 over `prev` and the line's other fields. Removing, reordering or editing a line
 * breaks the chain at that line, and verifyChain names it.
 */
export const GENESIS = '0'.repeat(64);

/** What a chained line holds besides seq, prev and hash: an audit entry, with its stream id. */
export type ChainedFields = Record<string, unknown>;

export interface ChainState {
  seq: number;
  hash: string;
}

/** The hash of one line: over prev and its fields (seq included), keys in a fixed order. */
export function lineHash(prev: string, fields: ChainedFields): string {
  return createHash('sha256').update(prev).update('\n').update(canonical(fields)).digest('hex');
}

/** One line of the sink (no newline) and the chain state after it. */
export function chainLine(state: ChainState, fields: ChainedFields): { line: string; state: ChainState } {
  const seq = state.seq + 1;
  const body = { seq, ...fields };
  const hash = lineHash(state.hash, body);
  return { line: JSON.stringify({ ...body, prev: state.hash, hash }), state: { seq, hash } };
}

export type ChainVerdict =
  { ok: true; lines: number; last: ChainState } | { ok: false; line: number; reason: string; lines: number };

/**
 * Checks a sink's lines in order (blank lines ignored, numbered from 1 as in an editor): each must
 * parse, follow the previous line's seq and hash, and hash to what it says. The first bad line is
 * named; what follows it is not judged.
 */
export function verifyChain(lines: Iterable<string>): ChainVerdict {
  let state: ChainState = { seq: 0, hash: GENESIS };
  let n = 0;
  let count = 0;
  for (const raw of lines) {
    n++;
    if (!raw.trim()) continue;
    count++;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { ok: false, line: n, reason: 'not a JSON line', lines: count };
    }
    const { prev, hash, ...body } = parsed;
    if (prev !== state.hash)
      return {
        ok: false,
        line: n,
        reason:
          body.seq === state.seq + 1
            ? "its prev is not the previous line's hash"
            : `seq ${String(body.seq)} follows seq ${state.seq}: a line before it was removed, or lines reordered`,
        lines: count,
      };
    if (body.seq !== state.seq + 1)
      return { ok: false, line: n, reason: `seq ${String(body.seq)} follows seq ${state.seq}`, lines: count };
    if (lineHash(state.hash, body) !== hash)
      return { ok: false, line: n, reason: 'its content does not match its hash (edited)', lines: count };
    state = { seq: state.seq + 1, hash: String(hash) };
  }
  return { ok: true, lines: count, last: state };
}

/** JSON with object keys sorted at every depth: the same entry always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
