import { createHash } from 'node:crypto';
import type { Approval, Run } from './types.js';

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
  const current = (a: Approval) => !run.planHash || !a.planHash || a.planHash === run.planHash;
  const seen = new Set<string>();
  return run.approvals.filter((a) => {
    if (!covers(a) || !current(a) || seen.has(a.by)) return false;
    seen.add(a.by);
    return true;
  });
}

/**
 * Whether the facts still guard this step: only until the run's first destructive step has run
 * (later changes are its own).
 */
export function factsGuard(run: Run): boolean {
  return run.phase === 'forward' && !run.steps.some((s) => s.destructive && s.status === 'done');
}
