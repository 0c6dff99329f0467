import type { RoutingState } from './routing-state.js';
import type { Recovery, RecoveryType, ShardCopy, SimNode, UnassignedReason } from './types.js';

/**
 * Fixed overheads of recoveries that move no bytes. ES opens an existing store or replays
 * operations onto a reused copy in seconds, independent of the shard's size.
 */
export const EXISTING_STORE_RECOVERY_MS = 2000;
export const REUSED_COPY_RECOVERY_MS = 1000;

/**
 * The state changes a shard copy goes through (ES: RoutingNodes.initializeShard, relocateShard,
 * startShard, failShard, promoteReplicaToPrimary), each keeping RoutingState consistent.
 */
export class ShardTransitions {
  constructor(
    private readonly state: RoutingState,
    private readonly clock: () => number,
  ) {}

  /** Starts recovering an unassigned copy onto a node. */
  initialize(copy: ShardCopy, node: SimNode, type: RecoveryType, sourceNodeId: string | null): Recovery {
    const now = this.clock();
    const reused = type === 'existing_store' || copy.group.staleCopyNodes.has(node.id);
    const size = copy.group.size;
    const recovery: Recovery = {
      copy,
      type,
      sourceNodeId: type === 'peer' ? sourceNodeId : null,
      targetNodeId: node.id,
      totalBytes: reused || type === 'empty_store' ? 0 : size,
      reusedBytes: reused ? size : 0,
      recoveredBytes: 0,
      startTime: now,
      stopTime: null,
      readyAt: now + (type === 'existing_store' ? EXISTING_STORE_RECOVERY_MS : reused ? REUSED_COPY_RECOVERY_MS : 0),
    };
    this.forgetStaleCopy(copy, node);
    this.state.mutate(copy, () => {
      copy.state = 'INITIALIZING';
      copy.nodeId = node.id;
      copy.recovery = recovery;
    });
    this.state.registerRecovery(recovery);
    return recovery;
  }

  /** Starts moving a started copy: it becomes RELOCATING and a target copy recovers elsewhere. */
  relocate(source: ShardCopy, targetNode: SimNode): Recovery {
    const now = this.clock();
    const primaryNode = source.primary ? source.nodeId : (this.state.activePrimaryOf(source)?.nodeId ?? source.nodeId);
    const reused = source.group.staleCopyNodes.has(targetNode.id);
    const size = source.group.size;
    const target: ShardCopy = {
      group: source.group,
      primary: source.primary,
      state: 'INITIALIZING',
      nodeId: targetNode.id,
      target: null,
      source,
      recovery: null,
      lastRecovery: null,
      unassigned: null,
      allocationId: `${source.allocationId}~${targetNode.id.slice(0, 4)}`,
    };
    const recovery: Recovery = {
      copy: target,
      type: 'peer',
      sourceNodeId: primaryNode,
      targetNodeId: targetNode.id,
      totalBytes: reused ? 0 : size,
      reusedBytes: reused ? size : 0,
      recoveredBytes: 0,
      startTime: now,
      stopTime: null,
      readyAt: now + (reused ? REUSED_COPY_RECOVERY_MS : 0),
    };
    target.recovery = recovery;
    this.forgetStaleCopy(source, targetNode);
    this.state.mutate(source, () => {
      source.state = 'RELOCATING';
      source.target = target;
    });
    this.state.attach(target);
    this.state.registerRecovery(recovery);
    return recovery;
  }

  /** A recovery finished: the copy is STARTED (a relocation's source disappears). */
  complete(recovery: Recovery): void {
    const now = this.clock();
    this.state.unregisterRecovery(recovery);
    recovery.stopTime = now;
    recovery.recoveredBytes = recovery.totalBytes;
    const copy = recovery.copy;
    const source = copy.source;
    if (source) {
      const oldNode = this.state.node(source.nodeId);
      this.state.detach(copy);
      this.state.mutate(source, () => {
        source.nodeId = copy.nodeId;
        source.state = 'STARTED';
        source.target = null;
        source.lastRecovery = recovery;
      });
      // ES moves the primary's outgoing replica recoveries to its new node when it relocates.
      if (source.primary) {
        for (const r of [...oldNode.outgoing])
          if (r.copy.group === source.group) this.state.resourceRecovery(r, copy.nodeId as string);
      }
    } else {
      this.state.mutate(copy, () => {
        copy.state = 'STARTED';
        copy.recovery = null;
        copy.lastRecovery = recovery;
        copy.unassigned = null;
      });
      copy.group.everAllocated = true;
    }
    this.dropStaleCopiesOnceHealthy(copy);
  }

  /** Abandons a relocation: the source is plain STARTED again, the target vanishes. */
  cancelRelocation(source: ShardCopy): void {
    const target = source.target;
    if (!target) return;
    if (target.recovery) this.state.unregisterRecovery(target.recovery);
    this.state.detach(target);
    this.state.mutate(source, () => {
      source.state = 'STARTED';
      source.target = null;
    });
  }

  /** The copy is lost (node left, recovery failed): it goes back to UNASSIGNED. */
  unassign(copy: ShardCopy, reason: UnassignedReason, details: string, delayMs: number): void {
    if (copy.state === 'RELOCATING') this.cancelRelocation(copy);
    if (copy.state === 'INITIALIZING' && copy.recovery) this.state.unregisterRecovery(copy.recovery);
    const now = this.clock();
    const delayed = !copy.primary && delayMs > 0;
    this.state.mutate(copy, () => {
      copy.state = 'UNASSIGNED';
      copy.nodeId = null;
      copy.recovery = null;
      copy.unassigned = {
        reason,
        at: now,
        details,
        delayedUntil: delayed ? now + delayMs : null,
        lastAllocationStatus: delayed ? 'delayed' : 'no_attempt',
      };
    });
  }

  /** Makes an active replica the primary in place of `formerPrimary` (which becomes a replica). */
  promote(replica: ShardCopy, formerPrimary: ShardCopy): void {
    this.state.mutate(formerPrimary, () => {
      formerPrimary.primary = false;
    });
    this.state.mutate(replica, () => {
      replica.primary = true;
    });
    if (replica.target) replica.target.primary = true;
  }

  private forgetStaleCopy(copy: ShardCopy, node: SimNode): void {
    copy.group.staleCopyNodes.delete(node.id);
    node.staleGroups.delete(copy.group);
  }

  /** ES deletes leftover shard data once every copy of the shard is active elsewhere. */
  private dropStaleCopiesOnceHealthy(copy: ShardCopy): void {
    const group = copy.group;
    if (group.staleCopyNodes.size === 0) return;
    if (!group.copies.every((c) => c.state === 'STARTED' || c.state === 'RELOCATING')) return;
    for (const id of group.staleCopyNodes) this.state.nodes.get(id)?.staleGroups.delete(group);
    group.staleCopyNodes.clear();
  }
}
