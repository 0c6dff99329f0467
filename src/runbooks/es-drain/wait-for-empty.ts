import type { StepContext, StepOutcome } from '../../engine/index.js';
import {
  explainStuckShard,
  healthNoWorse,
  judgeEmptyNodes,
  readCopySplits,
  readDrainSnapshot,
  recoveryLimits,
  sameLimits,
  type ClusterReader,
  type DrainSnapshot,
  type EmptyVerdict,
} from '../../targets/elasticsearch/index.js';
import { duration, escapeMrkdwn, formatBytes } from '../../format.js';
import { redSummary, watchRed, type RedWatch } from '../es-red-watch.js';
import { drainNodes, type DrainParams } from './drain-params.js';
import { readDrainSetSnapshot, type DrainSetSnapshot } from '../../targets/elasticsearch/drain-set-snapshot.js';
import { drainDrift, driftPrompt, repairDrift, type Drift } from './drain-drift.js';
import { enableInFacts } from '../es-allocation-alarm.js';
import { describeEta, forecastDrainSet, rateOnlyEta, type EtaAnchor } from './drain-eta.js';

export interface DrainTiming {
  /** How often the drain looks at the cluster. */
  pollMs: number;
  /** No bytes moved for this long = stalled: the thread gets ES's explanation. */
  stallAfterMs: number;
}

/** What the wait step remembers between polls (persisted by the engine after every call). */
interface DrainState extends RedWatch {
  startShards?: number;
  startBytes?: number;
  startedAt?: number;
  last?: { at: number; shards: number; bytes: number };
  /** Bytes per second, smoothed over polls. */
  rate?: number;
  lastMoveAt?: number;
  stallNoted?: number;
  /** When the node was found gone from the cluster (until it is back). */
  goneSince?: number;
  /** Bytes recovered so far by each active recovery at the last poll (bounded by the recovery concurrency). */
  recovering?: Record<string, number>;
  /** The question the step paused on (a stall, a setting changed outside the run), until answered. */
  asked?: { kind: 'stall' } | { kind: 'drift'; drift: Drift };
  /**
   * The ETA's starting point for each node drained: its primaries/replicas split and the
   * throttles, re-read when they change.
   */
  etaAnchors?: Record<string, EtaAnchor>;
  /** A drain of several nodes: the nodes judged empty so far (said once each). */
  emptied?: string[];
}

/**
 * One poll of the drain's nodes. One node: its own `_cat/allocation` row, as always; several: one
 * `_cat/allocation` for all. Either way O(nodes + active recoveries).
 */
async function readSnapshot(cluster: ClusterReader, p: DrainParams, now: number): Promise<DrainSetSnapshot> {
  const names = drainNodes(p).map((n) => n.node);
  if (names.length > 1) return readDrainSetSnapshot(cluster, names, now);
  const snap = await readDrainSnapshot(cluster, p.node, now);
  return {
    ...snap,
    perNode: [{ node: p.node, shards: snap.shards, bytes: snap.bytes }],
    missing: snap.present ? [] : [p.node],
  };
}

const recoveryKey = (r: { index: string; shard: string; target?: string }) =>
  `${r.index}[${r.shard}]>${r.target ?? ''}`;

/**
 * A stall is "nothing moves", not "the node's bytes did not drop": a replica leaving the node is
 * rebuilt from its primary elsewhere (ES recovers from the primary), so 24 GB can be copying for
 * ten minutes with the node's own figures unchanged. Any active recovery that copied bytes since
 * the last poll, or a new one, is progress.
 */
function recoveriesAdvanced(before: Record<string, number> | undefined, snap: DrainSnapshot): boolean {
  if (!before) return false;
  return snap.recoveries.some((r) => {
    const was = before[recoveryKey(r)];
    return was === undefined ? r.bytesRecovered > 0 || r.bytesTotal > 0 : r.bytesRecovered > was;
  });
}

/** Weight of the newest rate sample: smooth enough for an ETA, quick to follow a real change. */
const RATE_SMOOTHING = 0.3;

/**
 * "Wait while ES moves the shards off the node": one poll per call, then a re-check later (no
 * worker is held during a day-long drain). Progress costs O(nodes + active recoveries).
 */
export async function waitForEmpty(
  ctx: StepContext<DrainParams, DrainState>,
  cluster: ClusterReader,
  timing: DrainTiming,
): Promise<StepOutcome> {
  const p = ctx.params;
  const st = ctx.state;
  const now = ctx.now();
  const snap = await readSnapshot(cluster, p, now);
  const many = snap.perNode.length > 1;
  const names = snap.node;
  st.startedAt ??= now;
  await watchRed(ctx, snap.health);
  if (!snap.present) return nodeGone(ctx, snap, timing);
  if (st.goneSince !== undefined) {
    await ctx.note(`${names} ${many ? 'are' : 'is'} back in the cluster: the drain goes on.`, {
      once: `back:${st.goneSince}`,
    });
    delete st.goneSince;
  }
  if (st.asked && ctx.resumed) await answered(ctx, cluster, st.asked, ctx.resumed.by);
  // Live guard: what the drain relies on, read on every poll, never assumed to stay as written.
  const settings = await cluster.settings();
  const drift = drainDrift(settings, p, enableInFacts(ctx.run.planFacts));
  if (drift) {
    st.asked = { kind: 'drift', drift };
    return { status: 'pause', action: 'confirm', offerRevert: true, ...driftPrompt(drift, p) };
  }
  // A relocating shard leaves the node's disk only when its copy completes (tens of GB at once);
  // counting the bytes already copied by in-flight recoveries makes "left" and the rate smooth.
  const copied = snap.recoveriesFromNode.reduce((sum, r) => sum + r.bytesRecovered, 0);
  const left = Math.max(0, snap.bytes - copied);
  st.startShards ??= Math.max(snap.shards, p.shards);
  st.startBytes ??= Math.max(snap.bytes, 0);
  st.lastMoveAt ??= now;
  if (st.last) {
    const dt = (now - st.last.at) / 1000;
    const moved = st.last.bytes - left;
    if (dt > 0) {
      const sample = Math.max(0, moved) / dt;
      st.rate = st.rate === undefined ? sample : RATE_SMOOTHING * sample + (1 - RATE_SMOOTHING) * st.rate;
    }
    if (moved > 0 || snap.shards < st.last.shards || recoveriesAdvanced(st.recovering, snap)) st.lastMoveAt = now;
  }
  st.last = { at: now, shards: snap.shards, bytes: left };
  st.recovering = Object.fromEntries(snap.recoveries.map((r) => [recoveryKey(r), r.bytesRecovered]));

  const fraction =
    st.startBytes > 0 ? 1 - left / st.startBytes : st.startShards > 0 ? 1 - snap.shards / st.startShards : 1;
  const rate = st.rate ?? 0;
  // The split is O(shards): read when the wait begins and when a throttle changes, not every poll.
  // An ETA is no verdict: if the shard table cannot be read, the rate alone forecasts until it can.
  const limits = recoveryLimits(settings);
  // Each node's bytes left, counting what its in-flight recoveries copied already (as `left` does).
  const copiedOff = (node: string) =>
    snap.recoveriesFromNode.filter((r) => r.source === node).reduce((sum, r) => sum + r.bytesRecovered, 0);
  const leftOf = Object.fromEntries(snap.perNode.map((n) => [n.node, Math.max(0, n.bytes - copiedOff(n.node))]));
  // Each node drained has its own streams and its own anchor; a set is done when its slowest node is.
  const anchored = Object.values(st.etaAnchors ?? {})[0]?.limits;
  if (!anchored || !sameLimits(anchored, limits)) {
    const nodes = drainNodes(p).map((n) => n.node);
    const splits = await readCopySplits(cluster, nodes).catch(() => undefined);
    st.etaAnchors =
      splits && Object.fromEntries(nodes.map((n) => [n, { split: splits[n]!, limits, left: leftOf[n] ?? 0, at: now }]));
  }
  const physics = st.etaAnchors && forecastDrainSet(st.etaAnchors, leftOf, rate || undefined);
  const forecast = physics ?? rateOnlyEta(left, rate);
  const eta = forecast ? describeEta(forecast) : snap.shards === 0 ? '0s' : 'unknown';
  const moving = `${snap.recoveriesFromNode.length} relocations off ${names} (${snap.recoveriesTotal} in the cluster)`;
  const perNode = snap.perNode.map((n) => `${n.node}: ${n.shards} shards, ${formatBytes(leftOf[n.node] ?? 0)}`);
  await ctx.progress({
    fraction: Math.max(0, Math.min(1, fraction)),
    ...(forecast
      ? {
          etaSeconds: forecast.seconds,
          etaAt: now + forecast.seconds * 1000,
          etaRangeAt: [now + forecast.low * 1000, now + forecast.high * 1000],
        }
      : {}),
    text: `${snap.shards} of ${st.startShards} shards left on ${names} · ${formatBytes(left)} left`,
    fields: {
      'Shards left': `${snap.shards} / ${st.startShards}`,
      'Bytes left': formatBytes(left),
      ...(many ? { 'Left per node': perNode.join('\n') } : {}),
      'Moving now': moving,
      Rate: `${(rate / 1024 ** 2).toFixed(1)} MB/s`,
      ETA: eta,
      Health: snap.health.status,
    },
  });

  if (fraction >= 0.5 && snap.shards > 0) {
    await ctx.note(`Half way: ${snap.shards} shards (${formatBytes(left)}) left on ${names}, ETA ${eta}.`, {
      once: 'half-way',
    });
  }
  if (snap.shards > 0 && now - st.lastMoveAt >= timing.stallAfterMs && st.stallNoted !== st.lastMoveAt) {
    st.stallNoted = st.lastMoveAt;
    const why = await explainStuckShard(cluster, p.node).catch(() => undefined);
    const deciders = why?.deciders.length ? `\n${why.deciders.map((d) => `• ${escapeMrkdwn(d)}`).join('\n')}` : '';
    const shard = why ? `${escapeMrkdwn(why.index)}[${why.shard}]${why.primary ? ' (primary)' : ''}` : '';
    const detail = why ? `\n\`${shard}\`: ${escapeMrkdwn(why.summary)}${deciders}` : '';
    // Said once per stall, with the way back and the way on: the person decides, nothing is undone alone.
    st.asked = { kind: 'stall' };
    return {
      status: 'pause',
      action: 'confirm',
      label: 'Keep waiting',
      offerRevert: true,
      prompt:
        `:warning: stalled: no bytes moved off ${names} for ${duration(now - st.lastMoveAt)} ` +
        `(${snap.shards} shards, ${formatBytes(left)} left).${detail}\nFix the cause and press *Keep waiting*, ` +
        'or *Cancel and revert* to give up the drain and allow shards back onto the node.',
    };
  }
  // The nodes `_cat/allocation` shows with no shard are judged (fail-closed) on one read of the
  // shard table, whatever the set's size: for a set's per-node "empty" notes, and for the verdict
  // once every node shows none.
  const zero = drainNodes(p).filter((n) => snap.perNode.find((x) => x.node === n.node)?.shards === 0);
  const judge = snap.shards === 0 || (many && zero.some((n) => !st.emptied?.includes(n.node)));
  const verdicts = judge ? await judgeEmptyNodes(cluster, p.key, zero) : [];
  if (many) await notePerNodeEmpty(ctx, snap, zero, verdicts);
  if (snap.shards === 0) {
    for (const [i, n] of zero.entries()) {
      const verdict = verdicts[i]!;
      if (!verdict.empty) {
        await ctx.note(`${n.node} shows no shards but is not empty yet: ${verdict.reason}. Waiting.`, {
          once: `not-empty-yet:${n.node}`,
        });
        return { status: 'wait', recheckInMs: timing.pollMs };
      }
    }
    if (healthNoWorse(snap.health.status, p.baselineHealth)) {
      const took = `took ${duration(now - st.startedAt)}`;
      const verb = many ? 'are all' : 'is';
      return { status: 'done', summary: `${names} ${verb} empty: safe to stop (${took})${redSummary(ctx)}` };
    }
    await ctx.note(
      `${names} ${many ? 'are' : 'is'} empty but the cluster is ${snap.health.status} (it was ${p.baselineHealth}): ` +
        'waiting for it to recover before calling it safe.',
      { level: 'warning', once: 'health-wait' },
    );
  }
  return { status: 'wait', recheckInMs: timing.pollMs };
}

/**
 * A drain of several nodes: each node that shows no shards and was judged empty (fail-closed, I2)
 * is said so in the thread once: it may be stopped while the others still drain.
 */
async function notePerNodeEmpty(
  ctx: StepContext<DrainParams, DrainState>,
  snap: DrainSetSnapshot,
  judged: { node: string }[],
  verdicts: EmptyVerdict[],
): Promise<void> {
  const st = ctx.state;
  st.emptied ??= [];
  for (const [i, n] of judged.entries()) {
    if (st.emptied.includes(n.node) || !verdicts[i]?.empty) continue;
    st.emptied.push(n.node);
    const others = snap.perNode.filter((x) => x.shards > 0);
    const rest = others.length
      ? ` (${others.map((x) => `${x.node}: ${x.shards} shards`).join(', ')} still draining)`
      : '';
    await ctx.note(`${n.node} is empty: safe to stop${rest}.`, { once: `empty:${n.node}` });
  }
}

/** The person answered the step's question: keep waiting after a stall, or re-apply what drifted. */
async function answered(
  ctx: StepContext<DrainParams, DrainState>,
  cluster: ClusterReader,
  asked: NonNullable<DrainState['asked']>,
  by: string,
): Promise<void> {
  const st = ctx.state;
  delete st.asked;
  if (asked.kind === 'stall') {
    st.lastMoveAt = ctx.now(); // the stall window starts again
    await ctx.note(`<@${by}> chose to keep waiting for ${ctx.params.node} to empty.`);
    return;
  }
  const done = await repairDrift(cluster, asked.drift, ctx.params);
  await ctx.note(`<@${by}>: ${done}. The drain goes on.`);
}

/**
 * I2: a node that left the cluster is never "empty": its copies are unassigned or lost, not
 * moved. Said once per departure, loudly, with what it means; the step keeps waiting (the node may
 * be restarting) and never calls it safe.
 */
async function nodeGone(
  ctx: StepContext<DrainParams, DrainState>,
  snap: DrainSetSnapshot,
  timing: DrainTiming,
): Promise<StepOutcome> {
  const st = ctx.state;
  const now = ctx.now();
  const gone = snap.missing.join(', ');
  const many = snap.missing.length > 1;
  const held = snap.perNode.length > 1 ? undefined : (st.last?.shards ?? ctx.params.shards);
  st.goneSince ??= now;
  const holding = held === undefined ? '' : ` while holding ${held} shard${held === 1 ? '' : 's'}`;
  await ctx.note(
    `:rotating_light: ${gone} left the cluster${holding}: ` +
      `${many ? 'they are' : 'it is'} NOT safe to stop; cluster ${snap.health.status} ` +
      `(${snap.health.unassigned} unassigned). ` +
      'If it comes back, the drain goes on. If it does not, Elasticsearch rebuilds its copies from the ' +
      'others: wait for /es status to show green before you decide about the machine, then cancel this run.',
    { level: 'warning', once: `gone:${st.goneSince}` },
  );
  await ctx.progress({
    text: `${gone} ${many ? 'are' : 'is'} NOT in the cluster (gone ${duration(now - st.goneSince)}): not safe to stop`,
    fields: {
      'Shards left': held === undefined ? `${snap.shards} on the others` : `${held} when it left`,
      Health: snap.health.status,
      Unassigned: String(snap.health.unassigned),
    },
  });
  return { status: 'wait', recheckInMs: timing.pollMs };
}
