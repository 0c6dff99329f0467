/** Keys whose values are secrets in an ini-style config or an environment list. */
const SECRET_KEY = /pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth/i;
export const MASK = '••••••';

/** `scheme://user:password@host` → `scheme://user:••••••@host`. */
function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${MASK}@`);
}

/**
 * `NAME=value` pairs inside a value: supervisor's `environment=A="x",B=y` list (a value runs to
 * the next comma) or options on a command line (`--api-key=abc`, to the next space). The values
 * of secret-looking names are masked.
 */
function maskAssignments(text: string, environmentList: boolean): string {
  const value = environmentList ? `("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^,]*)` : `("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s,]*)`;
  const masked = text.replace(
    new RegExp(`([A-Za-z_][A-Za-z0-9_-]*)\\s*=\\s*${value}`, 'g'),
    (all, key: string, v: string) => {
      if (!SECRET_KEY.test(key)) return all;
      const q = v.startsWith('"') || v.startsWith("'") ? v[0] : '';
      return `${key}=${q}${MASK}${q}`;
    },
  );
  if (environmentList) return masked;
  // `--token VALUE`: an option of a command line whose value follows after a space.
  return masked.replace(/(\s--?[A-Za-z0-9_-]+)(\s+)("[^"]*"|'[^']*'|[^\s-]\S*)/g, (all, flag: string, gap: string) =>
    SECRET_KEY.test(flag) ? `${flag}${gap}${MASK}` : all,
  );
}

/**
 * A supervisord.conf (ini) with its secrets masked: values of keys such as `password`, names in
 * `environment=` that look like secrets, and credentials inside URLs. Comments and structure
 * stay, so the reader can still see what is configured.
 */
export function maskSecrets(text: string): string {
  let inEnvironment = false;
  return text
    .split('\n')
    .map((line) => {
      // Section headers stay; a commented-out password may still be a live one.
      if (/^\s*\[/.test(line)) {
        inEnvironment = false;
        return line;
      }
      if (/^\s*[;#]/.test(line)) {
        inEnvironment = false;
        return maskAssignments(maskUrlCredentials(line), false);
      }
      // An indented line continues the previous key's value (ini continuation).
      if (inEnvironment && /^\s+\S/.test(line)) return maskAssignments(maskUrlCredentials(line), true);
      const m = /^(\s*)([^=:\s][^=:]*?)(\s*[=:]\s*)(.*)$/.exec(line);
      if (!m) {
        inEnvironment = false;
        return maskUrlCredentials(line);
      }
      const [, indent, key, sep, value] = m as unknown as [string, string, string, string, string];
      inEnvironment = key.toLowerCase() === 'environment';
      if (inEnvironment) return `${indent}${key}${sep}${maskAssignments(maskUrlCredentials(value), true)}`;
      if (SECRET_KEY.test(key) && value.trim()) return `${indent}${key}${sep}${MASK}`;
      return `${indent}${key}${sep}${maskAssignments(maskUrlCredentials(value), false)}`;
    })
    .join('\n');
}
