import type { SshHost } from '../ssh/index.js';
import { ActiveDataError } from './errors.js';
import { maskSecrets } from './mask-secrets.js';
import { safeOperand } from './remote-path.js';

/** A supervisord.conf is a few kB; anything past this is not shown. */
export const CONFIG_MAX_BYTES = 64 * 1024;

export interface ConfigFile {
  file: string;
  text: string;
  bytes: number;
  clipped: boolean;
}

/**
 * Size first (so a clip can be reported), then at most CONFIG_MAX_BYTES of the file; path and cap
 * are positional args.
 */
const SCRIPT = '[ -r "$1" ] || { echo "cannot read $1" >&2; exit 2; }\nwc -c < "$1"\nhead -c "$2" -- "$1"';

/** The service's supervisord.conf, secrets masked before it leaves this function. */
export async function readServiceConfig(ssh: SshHost, file: string): Promise<ConfigFile> {
  const r = await ssh.run(['sh', '-c', SCRIPT, 'opsbot-config', safeOperand(file), String(CONFIG_MAX_BYTES)], {
    timeoutSeconds: 30,
  });
  if (r.code !== 0)
    throw new ActiveDataError(`cannot read ${file} on ${ssh.cfg.host}: ${r.stderr.trim() || `exit ${r.code}`}`);
  const nl = r.stdout.indexOf('\n');
  const bytes = Number(r.stdout.slice(0, nl).trim());
  const body = r.stdout.slice(nl + 1);
  return { file, text: maskSecrets(body.replace(/\n$/, '')), bytes, clipped: bytes > CONFIG_MAX_BYTES };
}
