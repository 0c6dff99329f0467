import type { RoutingState } from './routing-state.js';
import type { ShardTransitions } from './shard-transitions.js';
import type { ShardCopy, SimNode } from './types.js';

/**
 * A node leaving and rejoining, with ES's consequences: recoveries reading from it fail, an
 * active replica is promoted for each primary it held, its copies become unassigned (replicas
 * delayed by index.unassigned.node_left.delayed_timeout) and its data stays on disk, so a
 * returning node gets its shards back cheaply.
 */
export class NodeLifecycle {
  constructor(
    private readonly state: RoutingState,
    private readonly transitions: ShardTransitions,
    /** Wall-clock epoch of simulated time 0 (for the JVM start time of a started node). */
    private readonly epochMs: number,
  ) {}

  stop(node: SimNode): void {
    if (!node.alive) return;
    // 1. Peer recoveries elsewhere that read from this node lose their source.
    for (const r of [...node.outgoing]) {
      if (r.targetNodeId === node.id) continue;
      const copy = r.copy;
      if (copy.source) this.transitions.cancelRelocation(copy.source);
      else
        this.transitions.unassign(
          copy,
          'PRIMARY_FAILED',
          `primary failed while replica initializing on [${node.id}]`,
          0,
        );
    }
    // 2. Every copy on the node: relocations into it are abandoned, its own copies are lost.
    for (const copy of [...node.copies]) {
      if (!node.copies.has(copy)) continue;
      if (copy.source) {
        this.transitions.cancelRelocation(copy.source);
        continue;
      }
      this.keepOnDisk(copy, node);
      if (copy.primary) {
        const replacement = copy.group.copies.find(
          (c) => c !== copy && (c.state === 'STARTED' || c.state === 'RELOCATING'),
        );
        if (replacement) this.transitions.promote(replacement, copy);
      }
      const delay = copy.primary ? 0 : copy.group.index.nodeLeftDelayMs;
      this.transitions.unassign(copy, 'NODE_LEFT', `node_left [${node.id}]`, delay);
    }
    node.alive = false;
    this.state.dirty = true;
  }

  start(node: SimNode, now: number): void {
    if (node.alive) return;
    node.alive = true;
    node.startedAt = now;
    // A new JVM: its start time moves on even for a stop and start at the same simulated instant.
    node.jvmStartedAtMs = Math.max(this.epochMs + now, node.jvmStartedAtMs + 1);
    this.state.dirty = true;
  }

  /** A full copy stays in the node's data path; a half-recovered one is discarded. */
  private keepOnDisk(copy: ShardCopy, node: SimNode): void {
    const full =
      copy.state === 'STARTED' ||
      copy.state === 'RELOCATING' ||
      (copy.state === 'INITIALIZING' && copy.recovery !== null && copy.recovery.reusedBytes >= copy.group.size);
    if (!full) return;
    copy.group.staleCopyNodes.add(node.id);
    node.staleGroups.add(copy.group);
  }
}
