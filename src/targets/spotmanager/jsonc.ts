/**
 * SpotManager's settings are JSON with `//` comments (and the odd trailing comma), read by its
 * own lenient loader. We parse them the same way, and edit them without a parse/serialise round
 * trip: the number is replaced in place, every other byte stays as the operator wrote it.
 */

export class JsoncError extends Error {
  override name = 'JsoncError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/** The text with comments blanked (same length, newlines kept, so positions still match). */
export function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      out += ' '.repeat(end - i);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the string literal that starts at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\n') return i; // unterminated: let JSON.parse report it
    i += text[i] === '\\' ? 2 : 1;
  }
  return Math.min(i + 1, text.length);
}

/** Trailing commas (`,` before `]` or `}`) blanked, outside strings. */
function blankTrailingCommas(text: string): string {
  const chars = [...text];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (text[i] === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === ']' || text[j] === '}') chars[i] = ' ';
    }
    i++;
  }
  return chars.join('');
}

/** Parses JSON with comments and trailing commas; errors say the line and column. */
export function parseJsonc(text: string): unknown {
  const plain = blankTrailingCommas(blankComments(text));
  try {
    return JSON.parse(plain);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = Number(/position (\d+)/.exec(msg)?.[1] ?? NaN);
    const { line, column } = Number.isFinite(pos) ? lineAndColumn(text, pos) : { line: 0, column: 0 };
    throw new JsoncError(
      msg.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, ''),
      line,
      column,
    );
  }
}

export function lineAndColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/**
 * Where the value of a top-level key sits in the text: [start, end) of its literal. Only keys of
 * the outermost object count, so a nested "budget" can never be the one edited.
 */
export function topLevelValueSpan(text: string, key: string): { start: number; end: number } | undefined {
  const plain = blankComments(text);
  let depth = 0;
  let i = 0;
  while (i < plain.length) {
    const c = plain[i]!;
    if (c === '"') {
      const end = stringEnd(plain, i);
      if (depth === 1 && decodeString(plain.slice(i, end)) === key) {
        let j = end;
        while (/\s/.test(plain[j] ?? '')) j++;
        if (plain[j] === ':') {
          j++;
          while (/\s/.test(plain[j] ?? '')) j++;
          const literal = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(plain.slice(j));
          return literal ? { start: j, end: j + literal[0].length } : undefined;
        }
      }
      i = end;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
  }
  return undefined;
}

function decodeString(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}
