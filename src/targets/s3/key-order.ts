/**
 * S3 lists keys in UTF-8 byte order. JavaScript compares UTF-16 code units, which agrees except
 * where a character beyond U+FFFF meets one in U+E000..U+FFFF: there the bytes decide.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 || y >= 0xd800) return Buffer.compare(Buffer.from(a.slice(i)), Buffer.from(b.slice(i)));
    return x - y;
  }
  return a.length - b.length;
}
