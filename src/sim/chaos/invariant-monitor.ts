import type { ShardCopy, SimCluster } from '../es/index.js';

export const INVARIANTS = ['I1', 'I2', 'I3', 'I4', 'I5'] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: Invariant;
  /** Simulated time it was seen at. */
  atMs: number;
  what: string;
}

type Flat = Record<string, string>;
export interface SettingsSnapshot {
  persistent: Flat;
  transient: Flat;
}

const ENABLE = 'cluster.routing.allocation.enable';
const LIST_KEYS = /^cluster\.routing\.allocation\.exclude\./;
const isActive = (c: ShardCopy) => c.state === 'STARTED' || c.state === 'RELOCATING';
const shardName = (c: ShardCopy) => `${c.group.index.name}[${c.group.id}]`;

function flat(map: Map<string, unknown>): Flat {
  return Object.fromEntries([...map].map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
}

export function snapshotSettings(cluster: SimCluster): SettingsSnapshot {
  return { persistent: flat(cluster.settings.persistent), transient: flat(cluster.settings.transient) };
}

const effectiveEnable = (s: SettingsSnapshot) => s.transient[ENABLE] ?? s.persistent[ENABLE] ?? 'all';
/** The recovery throttles a `--fast` drain raises and must put back however it ends. */
const THROTTLES = [
  'indices.recovery.max_bytes_per_sec',
  'cluster.routing.allocation.node_concurrent_incoming_recoveries',
  'cluster.routing.allocation.node_concurrent_outgoing_recoveries',
];
/** The condition of a raised throttle left behind (src/runbooks/es-drain/throttle-steps.ts). */
const THROTTLE_ALARM = 'recovery-throttle-raised';
const effective = (s: SettingsSnapshot, key: string) => s.transient[key] ?? s.persistent[key] ?? 'default';
const entries = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);

/**
 * Checks the safety invariants of ../shared/DESIGN.md against the simulator's own routing table
 * and settings, continuously: `check()` after every simulator step (the harness calls it from
 * `onAdvance` and after every node action), `beforeBotAction` before each node command the bot
 * sends, `claim` for every message the bot posts, `settled`/`reverted` at the end of a run.
 * Who did what is known by construction: the bot's node commands arrive through NodeControl, and
 * the fault injector wraps its own changes in `byFault`, so a settings change seen otherwise is
 * the bot's write.
 */
export class InvariantMonitor {
  readonly violations: Violation[] = [];
  /** Settings writes the bot made, in order (key → value written, '' for a reset). */
  readonly botWrites: Array<{ scope: 'persistent' | 'transient'; key: string; value: string }> = [];
  /** How many times each invariant was checked (not only at the end). */
  readonly checks: Record<Invariant, number> = { I1: 0, I2: 0, I3: 0, I4: 0, I5: 0 };
  private seen: SettingsSnapshot;
  private version: number;
  private readonly claimed = new Set<string>();
  private readonly stopped = new Map<string, number>();
  private readonly filled = new Map<string, number>();
  /** Simulated time of the bot's last read of the shard table (`_cat/shards`), when known. */
  private lastShardLook = -1;
  /** ... of the node list (`_cat/nodes`) and of the cluster settings (`_cluster/settings`). */
  private lastNodesLook = -1;
  private lastSettingsLook = -1;
  /** When a fault last changed the cluster settings. */
  private settingsFaultAt = -1;
  /**
   * Findings where the fault came after the bot's last read of what it judged by (I1: another
   * holder stopped after its look at the shard table; I2: the node crashed, or shards came back,
   * after its verdict's reads; I3: someone's setting after its last settings read): the bot could
   * not have known. Counted, printed, not failed.
   */
  readonly races: string[] = [];

  /**
   * A violation the bot could not have avoided: the fault that makes it one came after the bot's
   * last read of the facts it judged by (it judged right on what it read). Counted as a race.
   */
  private violateUnlessRace(invariant: Invariant, what: string, faultAt: number, lastLook: number): void {
    if (faultAt >= 0 && lastLook >= 0 && faultAt >= lastLook) this.races.push(`${invariant}: ${what}`);
    else this.violate(invariant, what);
  }

  /** The bot has just read the node list or the cluster settings. */
  sawNodes(): void {
    this.lastNodesLook = this.cluster.now;
  }
  sawSettings(): void {
    this.lastSettingsLook = this.cluster.now;
  }

  constructor(private readonly cluster: SimCluster) {
    this.seen = snapshotSettings(cluster);
    this.version = cluster.settings.version;
  }

  private violate(invariant: Invariant, what: string): void {
    this.violations.push({ invariant, atMs: this.cluster.now, what });
  }

  /** After every simulator step: attributes settings changes, and watches the copies' count. */
  check(): void {
    this.checks.I1++;
    this.syncSettings('bot');
  }

  /** Runs a fault's change so that what it writes is not taken for the bot's. */
  byFault(change: () => void): void {
    this.syncSettings('bot');
    const version = this.cluster.settings.version;
    try {
      change();
    } finally {
      if (this.cluster.settings.version !== version) this.settingsFaultAt = this.cluster.now;
      this.syncSettings('fault');
    }
  }

  /** I1: the bot is about to stop or restart `node`: no shard may have its only active copies there. */
  beforeBotAction(node: string, action: 'stop' | 'start' | 'restart'): void {
    this.syncSettings('bot');
    if (action === 'start') return;
    this.checks.I1++;
    const groups = new Map<string, { on: number; elsewhere: number }>();
    for (const meta of this.cluster.state.indices.values()) {
      for (const g of meta.groups) {
        const active = g.copies.filter((c) => isActive(c) && c.nodeId !== null);
        const on = active.filter((c) => this.cluster.state.node(c.nodeId).name === node).length;
        if (on > 0) groups.set(`${meta.name}[${g.id}]`, { on, elsewhere: active.length - on });
      }
    }
    const last = [...groups].filter(([, v]) => v.elsewhere === 0).map(([k]) => k);
    if (!last.length) return;
    const recent = [
      ...[...this.stopped].map(([n, at]) => `${n} stopped by a fault at t=${at}ms`),
      ...[...this.filled].map(([n, at]) => `${n}'s disk filled by a fault at t=${at}ms`),
    ].join('; ');
    const what =
      `the bot's ${action} of ${node} took the last active copy of ${last.join(', ')} offline ` +
      `(its last look at the shard table: t=${this.lastShardLook}ms${recent ? `; ${recent}` : ''})`;
    // A node stopped, or a disk filled (ES then moves copies off it, possibly onto this node),
    // after the bot's last look at the shard table: it could not have known.
    const unseen = [...this.stopped.values(), ...this.filled.values()].some((at) => at >= this.lastShardLook);
    if (this.lastShardLook >= 0 && unseen) this.races.push(what);
    else this.violate('I1', what);
  }

  /** The bot has just read the shard table: what it knew from then on includes every earlier fault. */
  sawShardTable(): void {
    this.lastShardLook = this.cluster.now;
  }

  /** A fault stopped a node (not the bot's doing): remembered to explain a later I1 finding. */
  faultStopped(node: string): void {
    this.stopped.set(node, this.cluster.now);
  }

  /** A fault filled a node's disk past a watermark: ES moves copies off it, as a stop would. */
  faultFilledDisk(node: string): void {
    this.filled.set(node, this.cluster.now);
  }

  /** I2: a message of the bot; any "empty" / "safe to stop" must be about a present, empty node. */
  claim(runId: string, text: string): void {
    for (const line of text.split('\n')) {
      if (/NOT safe/i.test(line)) continue;
      // "node-3 is empty: safe to stop", and "node-3 is empty but the cluster is yellow".
      const m = /([A-Za-z0-9._-]+) is empty\b/.exec(line);
      if (!m) continue;
      const node = m[1]!;
      const key = `${runId}/${node}`;
      if (this.claimed.has(key)) continue;
      this.claimed.add(key);
      this.checks.I2++;
      const sim = this.cluster.state.nodesByName.get(node);
      if (!sim) this.violate('I2', `said "${line.trim()}" of an unknown node`);
      else if (!sim.alive)
        this.violateUnlessRace(
          'I2',
          `said "${line.trim()}" while ${node} is not in the cluster`,
          this.stopped.get(node) ?? -1,
          this.lastNodesLook,
        );
      else {
        const held = [...sim.copies].map(shardName);
        if (held.length)
          this.violateUnlessRace(
            'I2',
            `said "${line.trim()}" while ${node} holds ${held.join(', ')}`,
            this.settingsFaultAt,
            this.lastShardLook,
          );
      }
    }
  }

  /**
   * I3: a run ended: the effective `allocation.enable` is what it was before the run, or the run
   * shows an alarm (its raised conditions, as the card draws them); and the recovery throttles are
   * what they were, or the throttle's own alarm shows.
   */
  settled(before: SettingsSnapshot, status: string, alarms: string[]): void {
    this.syncSettings('bot');
    this.checks.I3++;
    const was = effectiveEnable(before);
    const now = effectiveEnable(snapshotSettings(this.cluster));
    if (now !== was && alarms.length === 0) {
      const what = `run ${status} with effective ${ENABLE}=${now} (was ${was}) and no alarm`;
      this.violateUnlessRace('I3', what, this.settingsFaultAt, this.lastSettingsLook);
    }
    // The same for a fast drain's recovery throttles (no fault touches them: any change is the bot's).
    const after = snapshotSettings(this.cluster);
    const moved = THROTTLES.filter((k) => effective(after, k) !== effective(before, k));
    if (moved.length && !alarms.includes(THROTTLE_ALARM)) {
      const list = moved.map((k) => `${k}=${effective(after, k)} (was ${effective(before, k)})`).join(', ');
      this.violate('I3', `run ${status} with the recovery throttle raised, ${list}, and no alarm`);
    }
  }

  /**
   * I4: a Revert undid only what the run wrote: entries of the exclusion lists that were there
   * before the run stay; a key the run never wrote is not changed by the revert; a key it wrote
   * is put back to the value it found.
   */
  reverted(beforeRun: SettingsSnapshot, beforeRevert: SettingsSnapshot, forwardWrites: number): void {
    this.syncSettings('bot');
    this.checks.I4++;
    const after = snapshotSettings(this.cluster).persistent;
    const wrote = new Set(this.botWrites.slice(0, forwardWrites).map((w) => w.key));
    const keys = new Set([...Object.keys(beforeRevert.persistent), ...Object.keys(after)]);
    for (const key of keys) {
      const pre = beforeRevert.persistent[key];
      const post = after[key];
      if (LIST_KEYS.test(key)) {
        const kept = entries(beforeRun.persistent[key]).filter((e) => entries(pre).includes(e));
        const lost = kept.filter((e) => !entries(post).includes(e));
        if (lost.length)
          this.violate('I4', `Revert removed ${lost.join(',')} from ${key}: it was there before the run`);
        continue;
      }
      if (pre === post) continue;
      if (!wrote.has(key))
        this.violate('I4', `Revert changed ${key} (${pre ?? 'unset'} → ${post ?? 'unset'}), never written by the run`);
      else if (post !== beforeRun.persistent[key]) {
        const found = beforeRun.persistent[key] ?? 'unset';
        this.violate('I4', `Revert set ${key} to ${post ?? 'unset'}, not the ${found} the run found`);
      }
    }
  }

  /**
   * I5: a step that ran past its budget must have raised an alarm. `budgetMs` undefined: the step
   * has no budget yet (counted as unchecked by the caller).
   */
  overBudget(step: string, ranMs: number, budgetMs: number, alarms: string[]): void {
    this.checks.I5++;
    if (ranMs > budgetMs && alarms.length === 0) {
      this.violate('I5', `step ${step} ran ${ranMs} ms, past its ${budgetMs} ms budget, with no alarm`);
    }
  }

  private syncSettings(by: 'bot' | 'fault'): void {
    if (this.cluster.settings.version === this.version) return;
    const now = snapshotSettings(this.cluster);
    if (by === 'bot') {
      for (const scope of ['persistent', 'transient'] as const) {
        const keys = new Set([...Object.keys(this.seen[scope]), ...Object.keys(now[scope])]);
        for (const key of keys) {
          if (this.seen[scope][key] !== now[scope][key])
            this.botWrites.push({ scope, key, value: now[scope][key] ?? '' });
        }
      }
    }
    this.seen = now;
    this.version = this.cluster.settings.version;
  }
}
