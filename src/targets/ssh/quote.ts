/**
 * OpenSSH hands the remote command to the login shell as one string, so there is no argv on
 * the wire. Every value that did not come from the operator's config goes through this: a
 * single-quoted word in which nothing (no `$`, `;`, backtick or newline) is special.
 */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one remote command line, each argument quoted. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(shellQuote).join(' ');
}
