/**
 * A JSON value from a request as text, the way `String()` writes a scalar or an array (elements
 * joined with commas). A plain object, which no caller expects, becomes its JSON rather than
 * "[object Object]".
 */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (v === null || v === undefined ? '' : scalarText(v))).join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  // A number, boolean, null or undefined: String() writes them as JSON does.
  return String(value);
}
