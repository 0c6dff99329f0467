/**
 * ES's Regex.simpleMatch: `*` matches any run of characters, nothing else is special.
 * Used by allocation filters, `h=` column patterns and index/alias expressions.
 */
export function simpleMatch(pattern: string, value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!value.startsWith(first) || value.length < first.length + last.length) return false;
  let pos = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const found = value.indexOf(part, pos);
    if (found < 0) return false;
    pos = found + part.length;
  }
  return value.length - last.length >= pos && value.endsWith(last);
}

export function isSimpleMatchPattern(text: string): boolean {
  return text.includes('*');
}

/** ES's Strings.tokenizeToStringArray(value, ","): split, trim, drop empty tokens. */
export function splitCommaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
