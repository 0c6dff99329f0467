import type { AllocationConfig } from './allocation-config.js';
import {
  canAllocateType,
  canRemainAll,
  canRemainCopy,
  filterDecision,
  indexForbidsNode,
  type DeciderContext,
} from './deciders.js';
import { projectedCount, type RoutingState } from './routing-state.js';
import type { ShardTransitions } from './shard-transitions.js';
import type { ShardCopy, SimNode } from './types.js';

/**
 * One reroute, as ES runs after every cluster change: allocate unassigned copies, move copies
 * that may not remain (filters, high watermark), then a light rebalance by shard count.
 * Loops stop as soon as no node can take another recovery, so a reroute on a cluster with
 * 100,000 shards touches only the handful it can actually start.
 */
export class Allocator {
  constructor(
    private readonly state: RoutingState,
    private readonly transitions: ShardTransitions,
    private readonly config: () => AllocationConfig,
    private readonly clock: () => number,
  ) {}

  reroute(): void {
    const ctx: DeciderContext = { state: this.state, config: this.config() };
    this.expireDelays();
    const nodes = this.state.aliveDataNodes();
    this.allocateUnassigned(ctx, nodes);
    this.moveShards(ctx, nodes);
    this.rebalance(ctx, nodes);
    // The changes made here need no second pass: one reroute starts all it can, as in ES.
    this.state.dirty = false;
  }

  /** Earliest simulated time at which a delayed replica becomes allocatable anywhere. */
  nextDelayExpiry(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const c of this.state.delayed) next = Math.min(next, c.unassigned?.delayedUntil ?? next);
    return next;
  }

  private expireDelays(): void {
    const now = this.clock();
    for (const c of [...this.state.delayed]) {
      if (c.unassigned && c.unassigned.delayedUntil !== null && c.unassigned.delayedUntil <= now) {
        c.unassigned.delayedUntil = null;
        c.unassigned.lastAllocationStatus = 'no_attempt';
        this.state.delayed.delete(c);
      }
    }
  }

  private allocateUnassigned(ctx: DeciderContext, nodes: SimNode[]): void {
    if (ctx.config.enable === 'none') return;
    for (const copy of [...this.state.unassignedPrimaries]) {
      const info = copy.unassigned;
      const fresh = !copy.group.everAllocated;
      // A primary that held data may only come back from a node that still has that data.
      const candidates = fresh ? nodes : this.liveHolders(copy);
      if (candidates.length === 0) {
        if (info) info.lastAllocationStatus = 'no_valid_shard_copy';
        continue;
      }
      const pick = this.pickNode(ctx, copy, candidates);
      if (pick.node) this.transitions.initialize(copy, pick.node, fresh ? 'empty_store' : 'existing_store', null);
      else if (info) info.lastAllocationStatus = pick.throttled ? 'throttled' : 'no';
    }
    let room = this.nodesWithIncomingRoom(ctx, nodes);
    for (const copy of [...this.state.unassignedReplicas]) {
      if (room === 0) return;
      const info = copy.unassigned;
      const primary = this.state.activePrimaryOf(copy);
      if (!primary) continue;
      if (this.state.node(primary.nodeId).outgoing.size >= ctx.config.outgoingLimit) {
        if (info) info.lastAllocationStatus = 'throttled';
        continue;
      }
      // ES's ReplicaShardAllocator: a node holding a copy wins, and if it is only busy the
      // replica waits for it rather than copying everything elsewhere; a delayed one waits too.
      const holders = this.liveHolders(copy);
      let pick = this.pickNode(ctx, copy, holders);
      const delayed = info?.delayedUntil != null;
      if (!pick.node && !delayed && !pick.throttled) pick = this.pickNode(ctx, copy, nodes);
      if (pick.node) {
        this.transitions.initialize(copy, pick.node, 'peer', primary.nodeId);
        if (pick.node.incoming.size >= ctx.config.incomingLimit) room--;
      } else if (info && !delayed) info.lastAllocationStatus = pick.throttled ? 'throttled' : 'no';
    }
  }

  private moveShards(ctx: DeciderContext, nodes: SimNode[]): void {
    const { enable } = ctx.config;
    if (enable === 'none' || enable === 'new_primaries') return; // active copies may not be allocated anew
    const queues: MoveQueue[] = [];
    const whole = new Set<SimNode>();
    for (const n of nodes) {
      if (!this.mustEmpty(ctx, n)) continue;
      whole.add(n);
      queues.push({ node: n, copies: [...n.copies], next: 0, done: false, pinned: false });
    }
    // Index-level filters and limits pin single copies: only the constrained indices are scanned.
    const pinned = new Map<SimNode, ShardCopy[]>();
    for (const meta of this.state.constrained) {
      // O(nodes) per index; its copies are looked at only when some node may not keep them.
      const forbidden = new Set(nodes.filter((n) => !whole.has(n) && indexForbidsNode(meta, n)));
      if (forbidden.size === 0) continue;
      for (const group of meta.groups) {
        for (const copy of group.copies) {
          if (copy.state !== 'STARTED' || copy.nodeId === null) continue;
          const node = this.state.node(copy.nodeId);
          if (!forbidden.has(node)) continue;
          let list = pinned.get(node);
          if (!list) pinned.set(node, (list = []));
          list.push(copy);
        }
      }
    }
    for (const [node, copies] of pinned) queues.push({ node, copies, next: 0, done: false, pinned: true });
    if (queues.length === 0) return;
    let room = this.nodesWithIncomingRoom(ctx, nodes);
    // Interleave the draining nodes, one copy each in turn, as ES's moveShards does.
    let progressed = true;
    while (progressed && room > 0) {
      progressed = false;
      for (const q of queues) {
        if (q.done || room === 0) continue;
        const copy = this.nextMovable(ctx, q);
        if (!copy) continue;
        progressed = true;
        // Cheap throttle check first: the recovery reads from the primary's node.
        const sourceId = copy.primary ? copy.nodeId : this.state.activePrimaryOf(copy)?.nodeId;
        if (!sourceId || this.state.node(sourceId).outgoing.size >= ctx.config.outgoingLimit) continue;
        const pick = this.pickNode(ctx, copy, nodes);
        if (!pick.node) continue;
        this.transitions.relocate(copy, pick.node);
        if (pick.node.incoming.size >= ctx.config.incomingLimit) room--;
      }
    }
  }

  /** Node-level reasons to move copies away: cluster filters, high watermark, the cluster shard limit. */
  private mustEmpty(ctx: DeciderContext, node: SimNode): boolean {
    if (canRemainAll(ctx, node, false).some((d) => d.decision === 'NO')) return true;
    const limit = ctx.config.clusterTotalShardsPerNode;
    return limit > 0 && projectedCount(node) > limit;
  }

  /** The next copy on a draining node that must and may move; ends the queue when none is left. */
  private nextMovable(ctx: DeciderContext, q: MoveQueue): ShardCopy | null {
    const filtered = filterDecision(ctx.config, q.node, false).decision === 'NO';
    while (q.next < q.copies.length) {
      const copy = q.copies[q.next++] as ShardCopy;
      if (copy.source || copy.state !== 'STARTED' || copy.nodeId !== q.node.id) continue;
      if (ctx.config.enable === 'primaries' && !copy.primary) continue;
      if (q.pinned) {
        if (mayNotRemain(ctx, copy, q.node)) return copy;
        continue;
      }
      // Over the high watermark or the shard limit only: stop once enough is already leaving.
      if (!filtered && !this.mustEmpty(ctx, q.node)) break;
      return copy;
    }
    q.done = true;
    return null;
  }

  private rebalance(ctx: DeciderContext, nodes: SimNode[]): void {
    const { config } = ctx;
    const k = this.state.counters;
    if (config.rebalanceEnable === 'none' || config.enable === 'none' || config.enable === 'new_primaries') return;
    if (config.allowRebalance === 'indices_all_active' && (k.unassigned > 0 || k.initializing > 0)) return;
    if (config.allowRebalance === 'indices_primaries_active' && k.redPrimaries + k.yellowPrimaries > 0) return;
    const limit = config.clusterConcurrentRebalance;
    const eligible = nodes.filter((n) => canRemainAll(ctx, n, false).every((d) => d.decision === 'YES'));
    if (eligible.length < 2) return;
    while (limit === -1 || k.relocating < limit) {
      eligible.sort((a, b) => projectedCount(a) - projectedCount(b));
      const low = eligible[0] as SimNode;
      const high = eligible[eligible.length - 1] as SimNode;
      if (projectedCount(high) - projectedCount(low) <= 1) return;
      const copy = this.findRebalanceCandidate(ctx, high, low);
      if (!copy) return;
      this.transitions.relocate(copy, low);
    }
  }

  private findRebalanceCandidate(ctx: DeciderContext, from: SimNode, to: SimNode): ShardCopy | null {
    const mode = ctx.config.rebalanceEnable;
    for (const copy of from.copies) {
      if (copy.source || copy.state !== 'STARTED') continue;
      if ((mode === 'primaries' && !copy.primary) || (mode === 'replicas' && copy.primary)) continue;
      if (ctx.config.enable === 'primaries' && !copy.primary) continue;
      if (canAllocateType(ctx, copy, to) === 'YES') return copy;
    }
    return null;
  }

  /** The allowed node with the fewest copies (counting moves in flight), or whether all were throttled. */
  private pickNode(
    ctx: DeciderContext,
    copy: ShardCopy,
    candidates: SimNode[],
  ): { node: SimNode | null; throttled: boolean } {
    let best: SimNode | null = null;
    let throttled = false;
    for (const node of candidates) {
      if (node.id === copy.nodeId) continue;
      if (best && projectedCount(node) >= projectedCount(best)) continue;
      const type = canAllocateType(ctx, copy, node);
      if (type === 'YES') best = node;
      else if (type === 'THROTTLE') throttled = true;
    }
    return { node: best, throttled: best === null && throttled };
  }

  /** Live data nodes that kept an on-disk copy of this shard (usually none or one). */
  private liveHolders(copy: ShardCopy): SimNode[] {
    const out: SimNode[] = [];
    for (const id of copy.group.staleCopyNodes) {
      const n = this.state.nodes.get(id);
      if (n?.alive && n.isData) out.push(n);
    }
    return out;
  }

  /** Nodes that could still take a recovery; when none is left the pass can stop. */
  private nodesWithIncomingRoom(ctx: DeciderContext, nodes: SimNode[]): number {
    return nodes.filter(
      (n) => n.incoming.size < ctx.config.incomingLimit && filterDecision(ctx.config, n, false).decision === 'YES',
    ).length;
  }
}

export { projectedCount };

interface MoveQueue {
  node: SimNode;
  copies: ShardCopy[];
  next: number;
  done: boolean;
  /** Copies pinned away by their index's settings, not the whole node. */
  pinned: boolean;
}

function mayNotRemain(ctx: DeciderContext, copy: ShardCopy, node: SimNode): boolean {
  return canRemainCopy(ctx, copy, node, false).some((d) => d.decision === 'NO');
}
