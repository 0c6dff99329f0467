import type { IndexMeta, Recovery, ShardCopy, SimNode } from './types.js';

/** Cluster-wide shard counts, kept exact incrementally so health costs O(1), not O(shards). */
export interface ShardCounters {
  activePrimaries: number;
  active: number;
  relocating: number;
  /** INITIALIZING copies in the routing table (relocation targets excluded, as in ES's health). */
  initializing: number;
  unassigned: number;
  unassignedPrimaries: number;
  /** Primaries whose inactivity makes the cluster red. */
  redPrimaries: number;
  /** New primaries still initializing from an empty store: ES counts those as yellow. */
  yellowPrimaries: number;
  inactiveReplicas: number;
  totalCopies: number;
}

/**
 * The routing table and routing nodes. Every change to a copy goes through detach → mutate →
 * attach, and those two functions are the only places counters and per-node indexes move:
 * one place to get right instead of one per transition.
 */
export class RoutingState {
  readonly nodes = new Map<string, SimNode>();
  readonly nodesByName = new Map<string, SimNode>();
  readonly indices = new Map<string, IndexMeta>();
  readonly activeRecoveries = new Set<Recovery>();
  readonly unassignedPrimaries = new Set<ShardCopy>();
  readonly unassignedReplicas = new Set<ShardCopy>();
  /** Indices with index-level filters or a shard limit: the only ones whose copies canRemain checks one by one. */
  readonly constrained = new Set<IndexMeta>();
  /** Unassigned replicas waiting out index.unassigned.node_left.delayed_timeout. */
  readonly delayed = new Set<ShardCopy>();
  readonly counters: ShardCounters = {
    activePrimaries: 0,
    active: 0,
    relocating: 0,
    initializing: 0,
    unassigned: 0,
    unassignedPrimaries: 0,
    redPrimaries: 0,
    yellowPrimaries: 0,
    inactiveReplicas: 0,
    totalCopies: 0,
  };
  /** Set whenever something happened that a reroute could act on. */
  dirty = true;

  node(id: string | null): SimNode {
    const n = id === null ? undefined : this.nodes.get(id);
    if (!n) throw new Error(`unknown node id [${id}]`);
    return n;
  }

  aliveDataNodes(): SimNode[] {
    const out: SimNode[] = [];
    for (const n of this.nodes.values()) if (n.alive && n.isData) out.push(n);
    return out;
  }

  /** Bytes on the node's disk now: settled copies, what incoming recoveries wrote so far, other files. */
  liveBytes(node: SimNode): number {
    let bytes = node.settledBytes + node.otherBytes;
    for (const r of node.incoming) bytes += r.reusedBytes + r.recoveredBytes;
    return bytes;
  }

  /** Bytes still to arrive for incoming recoveries (ES reserves them when deciding on disk). */
  incomingRemaining(node: SimNode): number {
    let bytes = 0;
    for (const r of node.incoming) bytes += r.totalBytes - r.recoveredBytes;
    return bytes;
  }

  activePrimaryOf(copy: ShardCopy): ShardCopy | null {
    for (const c of copy.group.copies) if (c.primary && (c.state === 'STARTED' || c.state === 'RELOCATING')) return c;
    return null;
  }

  attach(c: ShardCopy): void {
    const k = this.counters;
    if (c.source) {
      const n = this.node(c.nodeId);
      n.copies.add(c);
      n.incomingRelocations++;
      owning(n, c, 1);
      return;
    }
    switch (c.state) {
      case 'UNASSIGNED':
        k.unassigned++;
        if (c.primary) {
          k.unassignedPrimaries++;
          k.redPrimaries++;
          this.unassignedPrimaries.add(c);
        } else {
          k.inactiveReplicas++;
          this.unassignedReplicas.add(c);
        }
        if (c.unassigned?.delayedUntil != null) this.delayed.add(c);
        break;
      case 'INITIALIZING': {
        k.initializing++;
        if (c.primary) {
          if (c.recovery?.type === 'empty_store') k.yellowPrimaries++;
          else k.redPrimaries++;
        } else k.inactiveReplicas++;
        const n = this.node(c.nodeId);
        n.copies.add(c);
        n.routingCount++;
        owning(n, c, 1);
        break;
      }
      case 'STARTED':
      case 'RELOCATING': {
        k.active++;
        if (c.primary) k.activePrimaries++;
        const n = this.node(c.nodeId);
        n.copies.add(c);
        n.routingCount++;
        n.settledBytes += c.group.size;
        if (c.state === 'STARTED') owning(n, c, 1);
        if (c.state === 'RELOCATING') {
          k.relocating++;
          n.relocatingAwayBytes += c.group.size;
          n.relocatingAwayCount++;
        }
        break;
      }
    }
  }

  detach(c: ShardCopy): void {
    const k = this.counters;
    if (c.source) {
      const n = this.node(c.nodeId);
      n.copies.delete(c);
      n.incomingRelocations--;
      owning(n, c, -1);
      return;
    }
    switch (c.state) {
      case 'UNASSIGNED':
        k.unassigned--;
        if (c.primary) {
          k.unassignedPrimaries--;
          k.redPrimaries--;
          this.unassignedPrimaries.delete(c);
        } else {
          k.inactiveReplicas--;
          this.unassignedReplicas.delete(c);
        }
        this.delayed.delete(c);
        break;
      case 'INITIALIZING': {
        k.initializing--;
        if (c.primary) {
          if (c.recovery?.type === 'empty_store') k.yellowPrimaries--;
          else k.redPrimaries--;
        } else k.inactiveReplicas--;
        const n = this.node(c.nodeId);
        n.copies.delete(c);
        n.routingCount--;
        owning(n, c, -1);
        break;
      }
      case 'STARTED':
      case 'RELOCATING': {
        k.active--;
        if (c.primary) k.activePrimaries--;
        const n = this.node(c.nodeId);
        n.copies.delete(c);
        n.routingCount--;
        n.settledBytes -= c.group.size;
        if (c.state === 'STARTED') owning(n, c, -1);
        if (c.state === 'RELOCATING') {
          k.relocating--;
          n.relocatingAwayBytes -= c.group.size;
          n.relocatingAwayCount--;
        }
        break;
      }
    }
  }

  /** Applies a change to a copy while keeping every counter and index consistent. */
  mutate(c: ShardCopy, change: () => void): void {
    this.detach(c);
    change();
    this.attach(c);
    this.dirty = true;
  }

  registerRecovery(r: Recovery): void {
    this.activeRecoveries.add(r);
    const target = this.node(r.targetNodeId);
    target.incoming.add(r);
    if (r.sourceNodeId !== null) this.node(r.sourceNodeId).outgoing.add(r);
    if (r.type !== 'peer') target.initialPrimaryRecoveries++;
  }

  unregisterRecovery(r: Recovery): void {
    this.activeRecoveries.delete(r);
    const target = this.node(r.targetNodeId);
    target.incoming.delete(r);
    if (r.sourceNodeId !== null) this.nodes.get(r.sourceNodeId)?.outgoing.delete(r);
    if (r.type !== 'peer') target.initialPrimaryRecoveries--;
  }

  /** Moves a peer recovery's source to another node (the primary relocated or was promoted). */
  resourceRecovery(r: Recovery, newSourceId: string): void {
    if (r.sourceNodeId !== null) this.nodes.get(r.sourceNodeId)?.outgoing.delete(r);
    r.sourceNodeId = newSourceId;
    this.node(newSourceId).outgoing.add(r);
  }
}

/** RoutingNode.numberOfOwningShardsForIndex, kept per node so the shards_limit decider costs O(1). */
function owning(n: SimNode, c: ShardCopy, delta: number): void {
  const index = c.group.index;
  const count = (n.owningByIndex.get(index) ?? 0) + delta;
  if (count === 0) n.owningByIndex.delete(index);
  else n.owningByIndex.set(index, count);
}

/** Copies a node will hold once moves in flight finish: what balance, target choice and shards_limit look at. */
export function projectedCount(node: SimNode): number {
  return node.routingCount - node.relocatingAwayCount + node.incomingRelocations;
}
