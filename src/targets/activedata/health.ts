import type { SshHost } from '../ssh/index.js';

/** What ActiveData's `GET /__version__` answers. */
export interface ServiceVersion {
  source?: string;
  branch?: string;
  commit?: string;
}

export type HealthAnswer =
  | { ok: true; status: number; version: ServiceVersion; ms: number }
  | { ok: false; status?: number; error: string; ms: number };

/** Marks the status-code line curl appends after the body (`-w`), so a body cannot fake it. */
const MARK = '\n__opsbot_http_status__=';

/**
 * The service's health URL, asked from the frontend itself (curl over SSH): `localhost:8080`
 * there is gunicorn, whatever the network between the bot and the frontend allows.
 */
export class HealthProbe {
  constructor(
    private readonly ssh: SshHost,
    readonly url: string,
    private readonly timeoutSeconds = 5,
  ) {}

  async probe(): Promise<HealthAnswer> {
    const started = Date.now();
    const r = await this.ssh.run(
      [
        'curl',
        '--silent',
        '--show-error',
        '--max-time',
        String(this.timeoutSeconds),
        '--write-out',
        `${MARK}%{http_code}`,
        this.url,
      ],
      { timeoutSeconds: this.timeoutSeconds + 5 },
    );
    const ms = Date.now() - started;
    const at = r.stdout.lastIndexOf(MARK);
    const status = at >= 0 ? Number(r.stdout.slice(at + MARK.length).trim()) : undefined;
    const body = at >= 0 ? r.stdout.slice(0, at) : r.stdout;
    if (r.code === 127) return { ok: false, error: `curl is not installed on ${this.ssh.cfg.host}`, ms };
    if (r.code !== 0 || !status)
      return { ok: false, error: r.stderr.trim().replace(/^curl: \(\d+\) /, '') || `curl exited ${r.code}`, ms };
    if (status !== 200)
      return { ok: false, status, error: `HTTP ${status}${body.trim() ? `: ${body.trim().slice(0, 120)}` : ''}`, ms };
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      const pick = (k: string) => (typeof json[k] === 'string' ? { [k]: json[k] } : {});
      return { ok: true, status, version: { ...pick('source'), ...pick('branch'), ...pick('commit') }, ms };
    } catch {
      return { ok: false, status, error: `HTTP 200 but not JSON: ${body.trim().slice(0, 120)}`, ms };
    }
  }
}

/** Whether a version's commit names `sha` (the service may report a short sha). */
export function servesCommit(version: ServiceVersion, sha: string): boolean {
  const c = version.commit?.trim().toLowerCase();
  return !!c && c.length >= 7 && (sha.toLowerCase().startsWith(c) || c.startsWith(sha.toLowerCase()));
}
