import type { Alarm, Run, Step, StepOutcome } from '../../engine/index.js';
import type { Clusters } from '../../targets/elasticsearch/index.js';
import {
  effectiveThrottle,
  RecoveryThrottleWriter,
  throttleMagnitude,
  type ThrottleValues,
} from '../../targets/elasticsearch/recovery-throttle.js';
import type { DrainParams } from './drain-params.js';

/** The condition "Raise the recovery throttle" leaves and "Restore the recovery throttle" clears. */
export const THROTTLE_RAISED = 'recovery-throttle-raised';
export const RAISE_STEP = 'raise-recovery-throttle';

/** What the raise step found and wrote, saved before the write so that a crash after it still restores. */
interface RaiseState {
  before: ThrottleValues;
  wrote: Record<string, string>;
}

const show = (v: string | null | undefined) => (v === null || v === undefined ? 'unset' : v);
const list = (values: Record<string, string | null>) =>
  Object.entries(values)
    .map(([k, v]) => `${k} = ${show(v)}`)
    .join(', ');

/**
 * `--fast`: the cluster's fastRecovery limits written as persistent settings, read back as the
 * effective values. The values found are saved (checkpoint) before the write; ES accepting the
 * write is recorded at once (landed), so the restore happens whatever comes next (I4). A value
 * raised by someone else since the plan is never lowered.
 */
export function raiseRecoveryThrottle(deps: { clusters: Clusters }): Step<DrainParams, RaiseState> {
  return {
    id: RAISE_STEP,
    title: 'Raise the recovery throttle',
    destructive: true,
    raises: [THROTTLE_RAISED],
    async run(ctx): Promise<StepOutcome> {
      const fast = ctx.params.fast;
      if (!fast) return { status: 'done', summary: 'not a fast drain: nothing to raise' };
      const cluster = deps.clusters.get(ctx.params.cluster);
      const writer = new RecoveryThrottleWriter(cluster, { onWritten: () => ctx.landed() });
      const settings = await cluster.settings();
      const overriding = Object.keys(fast.raise).find((k) => settings.transient[k] !== undefined);
      if (overriding)
        return {
          status: 'fail',
          reason:
            `transient ${overriding} = "${settings.transient[overriding]}" now overrides the persistent value: ` +
            'nothing was written; clear it ' +
            `(PUT _cluster/settings {"transient": {"${overriding}": null}}) and ask again`,
        };
      const wrote = Object.fromEntries(
        Object.entries(fast.raise).filter(
          ([k, v]) => throttleMagnitude(k, v) > throttleMagnitude(k, effectiveThrottle(settings, k)),
        ),
      );
      if (!Object.keys(wrote).length)
        return { status: 'done', summary: 'the throttles are already at or above the limits now: nothing written' };
      const before = Object.fromEntries(Object.keys(wrote).map((k) => [k, settings.persistent[k] ?? null]));
      ctx.state.before = before;
      ctx.state.wrote = wrote;
      await ctx.checkpoint();
      const change = await writer.raise(wrote, before);
      return {
        status: 'done',
        summary: `persistent ${list(wrote)} (was ${list(before)}); in force now: ${list(change.after)}`,
        output: { throttleBefore: before, throttleWritten: wrote },
      };
    },
    undo: restoreRecoveryThrottle(deps, 'undo-restore-recovery-throttle'),
    // The plan promised the throttle back however the drain ends: a cancel or a failure restores
    // it before the run ends, whatever is chosen (Revert or Keep) for the node's exclusion.
    undoOnStop: true,
  };
}

/**
 * Back to the exact values the raise found (unset stays unset), only where the value is still
 * the one this run wrote: a throttle someone else changed meanwhile is theirs and stays, said so.
 * Runs when the drain ends, and as the undo of the raise, which every stop runs (cancel, failure)
 * before the run ends; idempotent.
 */
export function restoreRecoveryThrottle(
  deps: { clusters: Clusters },
  id = 'restore-recovery-throttle',
): Step<DrainParams> {
  return {
    id,
    title: 'Restore the recovery throttle',
    clears: [THROTTLE_RAISED],
    async run(ctx): Promise<StepOutcome> {
      const raised = ctx.run.steps.find((r) => r.id === RAISE_STEP)?.state as Partial<RaiseState> | undefined;
      if (!raised?.wrote || !raised.before)
        return { status: 'done', summary: 'nothing was raised: nothing to restore' };
      const writer = new RecoveryThrottleWriter(deps.clusters.get(ctx.params.cluster), {
        onWritten: () => ctx.landed(),
      });
      const r = await writer.restore(raised.before, raised.wrote);
      const parts: string[] = [];
      if (r.restored.length)
        parts.push(`restored ${list(Object.fromEntries(r.restored.map((k) => [k, raised.before![k] ?? null])))}`);
      if (r.left.length)
        parts.push(
          `left ${r.left.map((l) => `${l.key} = ${show(l.value)}`).join(', ')}: ` +
            'changed by someone else since this run wrote it, so it is theirs',
        );
      if (!parts.length) parts.push('already as it was before the run');
      return { status: 'done', summary: `${parts.join('; ')}; in force now: ${list(r.after)}` };
    },
  };
}

/** A raised throttle left behind: the drain's alarm, like allocation left disabled. */
export const throttleAlarm: Alarm<DrainParams> = {
  title: (p) => `Recovery throttle still RAISED on cluster ${p.cluster}`,
  detail: (p) => ` (${Object.keys(p.fast?.raise ?? {}).join(', ')} not what they were before the run).`,
  revert: 'Restore the recovery throttle',
  fix: (p) =>
    `set them back: \`PUT _cluster/settings {"persistent": ${JSON.stringify(p.fast?.before ?? {})}}\` ` +
    `(\`/es recovery --cluster ${p.cluster}\` shows them)`,
  during: (p) =>
    `The recovery throttle is raised for this drain (\`${list(p.fast?.raise ?? {})}\`); ` +
    'it is restored when the drain ends, is cancelled or fails.',
};

/**
 * At the end of a fast drain, whoever changed them: the effective throttles now against the
 * values at request time. Different, or unreadable (fail closed), the card keeps the alarm.
 */
export function throttleEndCheck(clusters: Clusters) {
  return async (run: Run): Promise<string[]> => {
    const p = run.params as Partial<DrainParams>;
    if (!p.fast || typeof p.cluster !== 'string') return [];
    try {
      const s = await clusters.get(p.cluster).settings();
      const differs = Object.entries(p.fast.effectiveBefore).some(
        ([k, v]) => throttleMagnitude(k, effectiveThrottle(s, k)) !== throttleMagnitude(k, v),
      );
      return differs ? [THROTTLE_RAISED] : [];
    } catch {
      return [THROTTLE_RAISED];
    }
  };
}
