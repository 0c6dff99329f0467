import type { CommandResult, SshHost } from '../ssh/index.js';
import { ActiveDataError, lastLines } from './errors.js';

/** supervisor's process states (supervisor/states.py). */
export type ProgramState = 'STOPPED' | 'STARTING' | 'RUNNING' | 'BACKOFF' | 'STOPPING' | 'EXITED' | 'FATAL' | 'UNKNOWN';

export interface ProgramStatus {
  /** `name`, or `group:name` for a group's process. */
  name: string;
  state: ProgramState;
  /** supervisor's own words: `pid 1234, uptime 0:03:12`, `Exited too quickly (process log may have details)`. */
  description: string;
  pid?: number;
  /** Seconds, parsed from the uptime supervisor prints for a RUNNING process. */
  uptimeSeconds?: number;
}

const STATES = new Set<ProgramState>([
  'STOPPED',
  'STARTING',
  'RUNNING',
  'BACKOFF',
  'STOPPING',
  'EXITED',
  'FATAL',
  'UNKNOWN',
]);
/** States a freshly restarted program does not leave by itself: the start failed. */
export const FAILED_STATES: ReadonlySet<ProgramState> = new Set(['FATAL', 'EXITED', 'STOPPED', 'UNKNOWN']);

/** `0:03:12` or `3 days, 0:03:12` → seconds. */
function parseUptime(text: string): number | undefined {
  const m = /uptime (?:(\d+) days?, )?(\d+):(\d\d):(\d\d)/.exec(text);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** Lines of `supervisorctl status`: `name   STATE   description`. Other lines are not statuses. */
export function parseStatus(stdout: string): ProgramStatus[] {
  const out: ProgramStatus[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s+([A-Z]+)\b\s*(.*)$/.exec(line.trim());
    if (!m || !STATES.has(m[2] as ProgramState)) continue;
    const description = m[3]!.trim();
    const pid = /pid (\d+)/.exec(description)?.[1];
    const uptime = parseUptime(description);
    out.push({
      name: m[1]!,
      state: m[2] as ProgramState,
      description,
      ...(pid ? { pid: Number(pid) } : {}),
      ...(uptime !== undefined ? { uptimeSeconds: uptime } : {}),
    });
  }
  return out;
}

/**
 * The frontend's supervisor, through supervisorctl over SSH ("Use supervisor to restart
 * service"). The program name and the supervisorctl argv come from opsbot.yaml.
 */
export class Supervisor {
  constructor(
    private readonly ssh: SshHost,
    private readonly ctl: readonly string[],
    readonly program: string,
  ) {}

  private call(verb: string, timeoutSeconds: number): Promise<CommandResult> {
    return this.ssh.run([...this.ctl, verb, this.program], { timeoutSeconds });
  }

  /**
   * The program's state. supervisorctl exits 3 when a program is not RUNNING, so the exit code
   * alone says little: a status line is an answer, anything else is a problem to report.
   */
  async status(): Promise<ProgramStatus[]> {
    const r = await this.call('status', 30);
    const statuses = parseStatus(r.stdout);
    if (statuses.length) return statuses;
    const said = (r.stdout + r.stderr).trim();
    if (/no such (process|group)/i.test(said)) {
      throw new ActiveDataError(
        `supervisor on ${this.ssh.cfg.host} has no program "${this.program}": set ` +
          `service.program in opsbot.yaml to one that \`supervisorctl status\` lists`,
        said,
      );
    }
    throw new ActiveDataError(
      `supervisorctl on ${this.ssh.cfg.host} did not answer (exit ${r.code}): ` +
        `${lastLines(said, 2)}. Is supervisord running there?`,
      said,
    );
  }

  /**
   * `supervisorctl restart PROGRAM`: stops it, then starts it and waits up to its `startsecs`.
   * Output and exit code are returned as they are; the runbook step decides.
   */
  restart(timeoutSeconds = 120): Promise<CommandResult> {
    return this.call('restart', timeoutSeconds);
  }
}
