import type { StepContext, StepOutcome } from '../../engine/index.js';
import { duration, escapeMrkdwn } from '../../format.js';
import {
  lastLines,
  servesCommit,
  type ActiveDataService,
  type CommitInfo,
  type HealthAnswer,
  type ProgramStatus,
} from '../../targets/activedata/index.js';

export interface ServiceTiming {
  /** How often a restarted service is looked at until it is up. */
  pollMs: number;
}

/** What the service check remembers between looks (persisted by the engine after every call). */
export interface ServiceCheckState {
  /** When the first look was made: the start timeout counts from here. */
  startedAt?: number;
}

/**
 * Remote output (git, supervisor, the service's error log) as a code block of a thread reply.
 * Slack reads `<...>` as links and mentions even there, so its three control characters are
 * escaped (Slack shows them as typed); a fence inside the output cannot end the block.
 */
const code = (text: string) => `\`\`\`${escapeMrkdwn(text).replace(/```/g, "'''")}\`\`\``;

function programsText(programs: ProgramStatus[]): string {
  return (
    programs.map((p) => `${p.name} ${p.state}${p.description ? ` (${p.description})` : ''}`).join(', ') || 'no program'
  );
}

function healthText(h: HealthAnswer): string {
  if (!h.ok) return h.error;
  return h.version.commit
    ? `answers commit ${h.version.commit.slice(0, 12)}${h.version.branch ? ` (${h.version.branch})` : ''}`
    : 'answers HTTP 200 (no commit in the answer)';
}

/** The last lines of the error log, as a block for a failure message; nothing when it is empty. */
export async function errorLogBlock(svc: ActiveDataService): Promise<string> {
  const tail = lastLines(await svc.errorLogTail(10), 10);
  return tail ? `\nLast lines of ${svc.cfg.errorLogFile}:\n${code(tail)}` : '';
}

/**
 * "Wait until supervisor reports RUNNING and the service answers its health URL": one look per
 * call, then a re-check later (no worker held while gunicorn starts). Up means every process of
 * the program RUNNING and the health URL answering the expected commit. FATAL (supervisor gave
 * up starting it) fails at once; anything else fails after the configured start timeout.
 * `failHint` ends a failure message with what the humans can do next.
 */
export async function waitServiceUp<P>(
  ctx: StepContext<P, ServiceCheckState>,
  svc: ActiveDataService,
  expected: CommitInfo,
  timing: ServiceTiming,
  failHint: string,
): Promise<StepOutcome> {
  const st = ctx.state;
  const now = ctx.now();
  st.startedAt ??= now;
  const [programs, health] = await Promise.all([svc.supervisor.status(), svc.health.probe()]);
  const running = programs.length > 0 && programs.every((p) => p.state === 'RUNNING');
  const serving = health.ok && (!health.version.commit || servesCommit(health.version, expected.sha));
  await ctx.progress({
    text: `${programsText(programs)} · health ${healthText(health)}`,
    fields: {
      Supervisor: programsText(programs),
      Health: `${svc.cfg.healthUrl}: ${healthText(health)}`,
      Expecting: expected.short,
      Waited: duration(now - st.startedAt),
    },
  });
  if (running && serving) {
    const pids = programs.map((p) => p.pid).filter((p) => p !== undefined);
    return {
      status: 'done',
      summary:
        `${programs.map((p) => p.name).join(', ')} RUNNING${pids.length ? ` (pid ${pids.join(', ')})` : ''}; ` +
        `${svc.cfg.healthUrl} ${healthText(health)}`,
    };
  }
  const fatal = programs.filter((p) => p.state === 'FATAL');
  const timedOut = now - st.startedAt >= svc.cfg.startTimeoutSeconds * 1000;
  if (fatal.length || timedOut) {
    const why = fatal.length
      ? `supervisor gave up starting it: ${programsText(fatal)}.`
      : `it is not up after ${duration(now - st.startedAt)}: ` +
        `supervisor says ${programsText(programs)}; health ${healthText(health)}.`;
    return {
      status: 'fail',
      reason: `The service did not come back on ${expected.short}: ${why}${await errorLogBlock(svc)}\n${failHint}`,
    };
  }
  return { status: 'wait', recheckInMs: timing.pollMs };
}

/**
 * "Use supervisor to restart service": `supervisorctl restart PROGRAM`. supervisorctl waits for
 * the program's startsecs, so a release that dies at start-up is known here, with its error log.
 */
export async function restartService(
  svc: ActiveDataService,
  failHint: string,
): Promise<{ ok: true; summary: string } | { ok: false; reason: string }> {
  const r = await svc.supervisor.restart(svc.cfg.startTimeoutSeconds + 30);
  const said = `${r.stdout}${r.stderr}`.trim();
  // A program that was down (FATAL after a bad release) answers "ERROR (not running)" to the stop
  // half of a restart: harmless, the start half is what counts.
  const errors = said.split('\n').filter((l) => /\bERROR\b/.test(l) && !/ERROR \(not running\)/.test(l));
  if (r.code === 0 && errors.length === 0)
    return { ok: true, summary: `supervisorctl restart ${svc.cfg.program}: ${said.split('\n').join(', ')}` };
  return {
    ok: false,
    reason:
      `supervisorctl restart ${svc.cfg.program} failed (exit ${r.code}):\n` +
      `${code(lastLines(said || '(no output)', 8))}${await errorLogBlock(svc)}\n${failHint}`,
  };
}

export { code as codeBlock };
