/**
 * Paths on the frontend as SSH commands see them. The runbook writes `~/ActiveData`; a quoted
 * `~` is not expanded by the remote shell, but every SSH command starts in the user's home, so
 * `~/x` is simply the relative path `x`.
 */
export function remotePath(path: string): string {
  if (path === '~' || path === '~/') return '.';
  if (path.startsWith('~/')) return path.slice(2);
  if (path.startsWith('~'))
    throw new Error(`${path}: only ~/ (the SSH user's own home) is supported in opsbot.yaml paths`);
  return path;
}

/** Never lets a relative path begin with "-" (it would read as an option to the remote command). */
export function safeOperand(path: string): string {
  const p = remotePath(path);
  return p.startsWith('-') ? `./${p}` : p;
}
