import type { Run, Runbook, Step, StepOutcome } from '../../engine/index.js';
import { formatBytes } from '../../format.js';
import { AllocationWriter, splitList, type Clusters } from '../../targets/elasticsearch/index.js';
import { allocationFacts, allocationLock } from '../es-facts.js';
import { drain, drainNodes, drainValues, undrain, type DrainParams } from './drain-params.js';
import { recheckBeforeWrite } from './recheck.js';
import { allocationAlarms, allocationEndCheck } from '../es-allocation-alarm.js';
import { waitForEmpty, type DrainTiming } from './wait-for-empty.js';
import {
  raiseRecoveryThrottle,
  restoreRecoveryThrottle,
  THROTTLE_RAISED,
  throttleAlarm,
  throttleEndCheck,
} from './throttle-steps.js';

export interface DrainDeps {
  clusters: Clusters;
  timing: DrainTiming;
}

/**
 * The runbook's step 6, "Allow allocation back to node": only this node's entry leaves the list.
 * As the undo of a drain (`onlyOurs`), it removes the entry only if this run added it (I4): an
 * entry that was in the list before the drain (the plan's `listBefore`) stays.
 */
export function allowAllocationBack(
  deps: DrainDeps,
  id = 'allow-allocation-back',
  opts: { onlyOurs?: boolean } = {},
): Step<DrainParams> {
  return {
    id,
    title: 'Allow allocation back to node',
    destructive: true,
    async run(ctx): Promise<StepOutcome> {
      const p = ctx.params;
      const values = drainValues(p);
      const ours = opts.onlyOurs ? values.filter((v) => !p.listBefore.includes(v)) : values;
      if (!ours.length) {
        return {
          status: 'done',
          summary:
            `${values.join(',')} ${values.length === 1 ? 'was' : 'were'} in ${p.key} before this run: ` +
            'left there, nothing to undo',
        };
      }
      const change = await new AllocationWriter(deps.clusters.get(p.cluster)).removeExclusions(p.attr, ours);
      const list = change.after.length ? change.after.join(',') : '(empty)';
      return {
        status: 'done',
        summary: change.written
          ? `removed ${ours.join(',')} from ${p.key}: now ${list}`
          : `${ours.join(',')} ${ours.length === 1 ? 'was' : 'were'} not in ${p.key}; nothing to do`,
        output: { listAfterUndrain: change.after },
      };
    },
  };
}

/**
 * The runbook's "Move shards off the node": the node's IP (or name) added to the persistent
 * exclusion list. Intent before effect: the list found is saved with the intent before the write;
 * a call after a crash that finds this run's entries in place, not there before, knows the write
 * landed (its alarm and its Revert count) and says so, rather than "already in" or, should the
 * cluster have changed meanwhile, refusing a write that was made.
 */
export function moveShardsOff(deps: DrainDeps): Step<DrainParams, { before?: string[] }> {
  return {
    id: 'move-shards-off',
    title: 'Move shards off the node',
    destructive: true,
    // Re-checks the cluster before it writes, and adds the entry only once: safe to retry.
    retryable: true,
    async run(ctx) {
      const p = ctx.params;
      const cluster = deps.clusters.get(p.cluster);
      const values = drainValues(p);
      const st = ctx.state;
      if (ctx.step.intent && st.before) {
        const now = splitList((await cluster.settings()).persistent[p.key]);
        const added = values.filter((v) => !st.before!.includes(v));
        if (added.length && added.every((v) => now.includes(v))) {
          await ctx.landed();
          const summary = `persistent ${p.key} = ${now.join(',')}, written before a worker restart`;
          return { status: 'done', summary, output: { listAfterDrain: now } };
        }
      }
      const { problem, settings } = await recheckBeforeWrite(cluster, p);
      if (problem) return { status: 'fail', reason: problem };
      if (!ctx.step.intent) {
        st.before = splitList(settings.persistent[p.key]);
        await ctx.intent(`add ${values.join(',')} to persistent ${p.key}`);
      }
      // Every node of the set in one merge-safe write: the entries already there stay.
      const change = await new AllocationWriter(cluster, { onWritten: () => ctx.landed() }).addExclusions(
        p.attr,
        values,
        p.removeStale ?? [],
      );
      const summary = change.written
        ? `persistent ${p.key} = ${change.after.join(',')}`
        : `${values.join(',')} already in ${p.key} (${change.after.join(',')}); nothing written`;
      return { status: 'done', summary, output: { listAfterDrain: change.after } };
    },
    undo: allowAllocationBack(deps, 'undo-allow-allocation-back', { onlyOurs: true }),
  };
}

const DRAIN_BUDGET_MS = 3 * 24 * 3600_000;

/** The runbook's "Wait while ES moves the shards of the node". */
export function waitWhileShardsMove(deps: DrainDeps): Step<DrainParams> {
  return {
    id: 'wait-for-empty',
    title: 'Wait while ES moves the shards of the node',
    retryable: true, // a wait: it only reads
    // A drain moves about 2 TB a day (the runbook's own figure): past three days the watchdog
    // says so on the card (I5). Stalls are caught much sooner by the step itself.
    budgetMs: DRAIN_BUDGET_MS,
    run: (ctx) => waitForEmpty(ctx, deps.clusters.get(ctx.params.cluster), deps.timing),
  };
}

/**
 * The drain's part of a run: exclude the node, with `--fast` raise the recovery throttle, wait
 * until it is empty, restore the throttle. The raise comes after the exclusion so that a revert
 * (newest first) restores the throttle before it waits for the approval of allowing shards back.
 */
export function drainSteps(deps: DrainDeps, p: DrainParams): Step<DrainParams>[] {
  if (!p.fast) return [moveShardsOff(deps), waitWhileShardsMove(deps)];
  return [moveShardsOff(deps), raiseRecoveryThrottle(deps), waitWhileShardsMove(deps), restoreRecoveryThrottle(deps)];
}

/** The drain's alarms: allocation left disabled, and a raised throttle left behind. */
export const drainAlarms = { ...allocationAlarms, [THROTTLE_RAISED]: throttleAlarm };

/** The end-of-run check of a drain: both conditions read from the cluster as the run ends. */
export function drainEndCheck(deps: DrainDeps) {
  const allocation = allocationEndCheck(deps.clusters);
  const throttle = throttleEndCheck(deps.clusters);
  return async (run: Run): Promise<string[]> => [...(await allocation(run)), ...(await throttle(run))];
}

/**
 * "Changing Cluster Config", steps 1–2 of the runbook, for one node: exclude it (added to the list
 * already there, never replacing it) and wait while Elasticsearch moves its shards away. One
 * approval covers the plan (with `--fast`, the throttle raise on the same card).
 */
export function drainRunbook(deps: DrainDeps): Runbook<DrainParams> {
  return {
    ...drain,
    lock: allocationLock(deps.clusters),
    queueable: true,
    facts: (p) => allocationFacts(deps.clusters, p.cluster),
    alarms: drainAlarms,
    endAlarms: drainEndCheck(deps),
    summary: (p) =>
      `Drain ${drainNodes(p)
        .map((n) => `${n.node} (${n.ip})`)
        .join(', ')} on ${p.cluster}: ${p.shards} shards, ${formatBytes(p.bytes)}${p.fast ? ', fast' : ''}`,
    steps: (p) => drainSteps(deps, p),
    approval: 'plan',
  };
}

/** `/es undrain NODE`: the runbook's step 6 alone: only that node's entry leaves the list. */
export function undrainRunbook(deps: DrainDeps): Runbook<DrainParams> {
  return {
    ...undrain,
    lock: allocationLock(deps.clusters),
    queueable: true,
    facts: (p) => allocationFacts(deps.clusters, p.cluster),
    alarms: allocationAlarms,
    endAlarms: allocationEndCheck(deps.clusters),
    summary: (p) => `Allow allocation back to ${p.node} (${p.value}) on ${p.cluster}`,
    steps: [allowAllocationBack(deps)],
  };
}
