import { createHash } from 'node:crypto';
import type { Approval, Run, StepRecord } from './types.js';

/** JSON with sorted keys: the same plan always hashes the same. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The plan an approver approves: which runbook, with which parameters, on which facts. */
export function planHashOf(
  runbook: string,
  params: Record<string, unknown>,
  facts: Record<string, string> | undefined,
): string {
  return createHash('sha256')
    .update(stable({ runbook, params, facts: facts ?? {} }))
    .digest('hex')
    .slice(0, 16);
}

/** What changed between two fact sets, key by key, for the card ("exclusion list: a → a,b"). */
export function factChanges(
  before: Record<string, string> = {},
  after: Record<string, string> = {},
): { key: string; before?: string; after?: string }[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => before[k] !== after[k])
    .map((k) => ({
      key: k,
      ...(k in before ? { before: before[k] } : {}),
      ...(k in after ? { after: after[k] } : {}),
    }));
}

export function requiredApprovals(run: Run): number {
  return Math.max(1, run.approvalsRequired ?? 1);
}

/**
 * The approvals that count for `stepId`: its own (or, with approval scope 'plan', any forward
 * step's), given to the plan as it is now, one per person. The requester never appears here:
 * approve() refuses them.
 */
export function approvalsFor(run: Run, stepId: string): Approval[] {
  const forward = (id: string) => run.steps.some((s) => s.id === id);
  const covers = (a: Approval) =>
    a.step === stepId || (run.approvalScope === 'plan' && forward(stepId) && forward(a.step));
  const current = (a: Approval) =>
    a.agedOutAt === undefined && (!run.planHash || !a.planHash || a.planHash === run.planHash);
  const seen = new Set<string>();
  return run.approvals.filter((a) => {
    if (!covers(a) || !current(a) || seen.has(a.by)) return false;
    seen.add(a.by);
    return true;
  });
}

/** The approvals `stepId` runs on that are older than `maxAgeMs` now: they no longer count. */
export function agedApprovals(run: Run, stepId: string, now: number, maxAgeMs: number): Approval[] {
  return approvalsFor(run, stepId).filter((a) => now - a.at > maxAgeMs);
}

/**
 * Whether the facts are read again before this step: every destructive forward step, before its
 * first call (a step under way sees its own effects; undo steps are judged by their own checks).
 */
export function factsGuard(run: Run, rec: StepRecord): boolean {
  // A break-glass run has no approvals to void: its responder decided alone, on what they saw.
  if (run.breakGlass) return false;
  return run.phase === 'forward' && rec.destructive && rec.status === 'pending';
}

/**
 * What a fresh read of the facts is compared with: the facts as the run's own destructive steps
 * left them. The run's own effects (the drain's exclusion entry, shard movement it disabled, the
 * node it stopped) are read right after the step that made them finished and become the baseline,
 * so they never void its approval; any other difference is someone else's change and does.
 */
export function factsBaseline(run: Run): Record<string, string> | undefined {
  return run.ownFacts?.facts ?? run.planFacts;
}

/**
 * The destructive forward step that finished last, if the baseline has not been read since and
 * another destructive step is still to come: its effects are the run's own and are to be read
 * into `ownFacts` before anything else.
 */
export function ownChangeUnread(run: Run): string | undefined {
  if (run.phase !== 'forward' || !run.planFacts || run.breakGlass) return undefined;
  const mine = run.steps.filter((s) => s.destructive && s.status === 'done');
  const last = mine[mine.length - 1];
  if (!last || run.ownFacts?.after === last.id) return undefined;
  // Only worth a read when a destructive step is still to come (a drain's wait, a restart's check: not).
  const later = run.steps.slice(run.steps.indexOf(last) + 1);
  return later.some((s) => s.destructive && s.status === 'pending') ? last.id : undefined;
}
