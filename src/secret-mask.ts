/**
 * The one masker for text that may hold credentials: a config file shown in Slack, production log
 * lines, a log line or error the bot writes itself. Two ways to spot a secret: by the name it sits
 * under (password, secret, token, *_KEY, api_key, dsn...) and by its shape wherever it appears
 * (Slack and GitHub tokens, AWS keys, JWTs, URL userinfo, secret query parameters, webhook URLs,
 * `-p` options). It fails closed: a value that might be a secret is masked.
 */
export const MASK = '••••••';

export interface MaskOptions {
  /** What replaces a secret; default MASK. */
  mask?: string;
  /** URL userinfo removed whole (`https://host`) rather than masked (`https://user:••••••@host`). */
  dropUserinfo?: boolean;
}

/** Words that make a name secret wherever they stand in it (`DB_PASSWORD`, `clientSecret`, `x-auth-token`). */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'credential',
  'credentials',
  'dsn',
  'auth',
  'authorization',
  'apikey',
  'sig',
  'signature',
  'cookie',
]);

/**
 * Whether a key, variable or option name names a secret. Split into words (`_`, `-`, `.`,
 * camelCase), so `tokenizer` or `author` are not secrets but `api_key`, `SECRET_KEY`,
 * `secretAccessKey` and `X-Amz-Signature` are. A name ending in `key` is one (`*_KEY`).
 */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (!words.length) return false;
  return words.at(-1) === 'key' || words.some((w) => SECRET_WORDS.has(w));
}

/** Token shapes, masked wherever they appear. */
const TOKEN_SHAPES: RegExp[] = [
  // Slack bot, user, app, refresh and config tokens.
  /\b(?:xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]{6,}/g,
  // GitHub personal, OAuth, app and refresh tokens.
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/g,
  // AWS access key ids (long-term and temporary).
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  // A JWT: base64url header and payload (both JSON objects, so both start eyJ) and a signature.
  /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /**
   * An AWS secret access key: 40 characters of base64 with both letter cases. A git commit
   * (40 lowercase hex digits) is not one.
   */
  /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
];

/**
 * `Authorization: Bearer …` / `Basic …` credentials. Captured rather than looked behind for: a
 * lookbehind over `\s+` rescans every run of spaces at each position (quadratic on a long line).
 */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{8,}/g;
/** `scheme://user:password@` or a DSN's `scheme://key@`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:'"<>]*)(:[^\s/?#@'"<>]*)?@/gi;
/** Webhook URLs whose path is the secret: Slack's incoming webhooks, workflows and triggers. */
const WEBHOOK_PATH = /\b(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[^\s'"<>)]+/gi;
/** `?name=value` / `&name=value` in a URL or a query string. */
const QUERY_PARAM = /([?&;])([A-Za-z0-9_.-]+)=([^\s&#'"<>]*)/g;
/**
 * `name=value`, `name: value`, `"name": "value"` in free text, a command line, an env list or JSON.
 * The value is a quoted string, or runs to a space, comma, semicolon or closing bracket.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.])(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*=>\s*|\s*[=:]\s*)((?:Bearer|Basic|Token)\s+[^\s,;'"]+|"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;'"&)\]}{[]+)/g;
/** `--password VALUE`, `--api-key "x y"`: a secret-named long option whose value follows a space. */
const SPACED_OPTION = /(?<=^|\s)(--[A-Za-z0-9][A-Za-z0-9_-]*)(\s+)("[^"]*"|'[^']*'|[^\s-]\S*)/g;
/**
 * mysql-style `-psecret` and `-p secret`. A value that starts with `/` or `-` is a path or the next
 * option (`mkdir -p /var/log`), and is left alone.
 */
const SHORT_P = /(?<=^|\s)-p(?:(\s+)(?=[^\s/-])|(?=[^\s/=-]))("[^"]*"|'[^']*'|\S+)/g;

function quoted(value: string, mask: string): string {
  const q = value.startsWith('"') || value.startsWith("'") ? value[0]! : '';
  return `${q}${mask}${q}`;
}

/**
 * Credentials masked in one free text (a log line, a message, a config value); everything else as
 * it was. Node names, ES URLs without credentials, index names and commit ids stay readable.
 */
export function maskText(text: string, opts: MaskOptions = {}): string {
  const mask = opts.mask ?? MASK;
  let out = text.replace(URL_USERINFO, (all, scheme: string, user: string, pass: string | undefined) => {
    if (opts.dropUserinfo) return scheme;
    return pass !== undefined ? `${scheme}${user}:${mask}@` : `${scheme}${mask}@`;
  });
  out = out.replace(WEBHOOK_PATH, `$1${mask}`);
  out = out.replace(QUERY_PARAM, (all, sep: string, name: string, value: string) =>
    value && value !== mask && isSecretName(name) ? `${sep}${name}=${mask}` : all,
  );
  out = out.replace(ASSIGNMENT, (all, q: string, name: string, sep: string, value: string) => {
    if (!isSecretName(name) || value === mask || value.includes(mask)) return all;
    // `key: value` in prose ("the token: expired") reads like one; `http://…` after a key is a URL (handled above).
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return all;
    return `${q}${name}${q}${sep}${quoted(value, mask)}`;
  });
  out = out.replace(SPACED_OPTION, (all, flag: string, gap: string, value: string) =>
    isSecretName(flag) && !value.includes(mask) ? `${flag}${gap}${mask}` : all,
  );
  out = out.replace(SHORT_P, (all, gap: string | undefined, value: string) =>
    value.includes(mask) ? all : `-p${gap ?? ''}${mask}`,
  );
  out = out.replace(AUTH_SCHEME, `$1$2${mask}`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, mask);
  return out;
}

/**
 * An ini-style config (supervisord.conf) or an environment list, masked line by line: the values of
 * secret-named keys whole, `environment=` lists name by name (continuation lines included), and
 * every other value and comment through maskText. Section headers and structure stay, so the reader
 * can still see what is configured; a commented-out password may still be a live one.
 */
export function maskConfig(text: string, opts: MaskOptions = {}): string {
  const mask = opts.mask ?? MASK;
  let inEnvironment = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*\[/.test(line)) {
        inEnvironment = false;
        return line;
      }
      if (/^\s*[;#]/.test(line)) {
        inEnvironment = false;
        return maskText(line, opts);
      }
      // An indented line continues the previous key's value (ini continuation).
      if (inEnvironment && /^\s+\S/.test(line)) return maskText(line, opts);
      const m = /^(\s*)([^=:\s][^=:]*?)(\s*[=:]\s*)(.*)$/.exec(line);
      if (!m) {
        inEnvironment = false;
        return maskText(line, opts);
      }
      const [, indent, key, sep, value] = m as unknown as [string, string, string, string, string];
      inEnvironment = key.toLowerCase() === 'environment';
      if (!inEnvironment && isSecretName(key) && value.trim()) return `${indent}${key}${sep}${mask}`;
      return `${indent}${key}${sep}${maskText(value, opts)}`;
    })
    .join('\n');
}
