import type { Feasibility } from './feasibility.js';
import { feasibilityWarnings } from './feasibility-warnings.js';

/**
 * What the plan card and the dry-run card show of the precheck (plain data: it is stored with
 * the run's params, and the approval is bound to it).
 */
export interface FeasibilityNote {
  movingCopies: number;
  movingBytes: number;
  from: string[];
  targets: number;
  roomUnderLowBytes: number;
  largest?: { shard: string; bytes: number; fitsOn: number };
  /** The fullest target after the moves, as the precheck planned them. */
  fullest?: { node: string; usedPercent: number };
  low: string;
  high: string;
  warnings: string[];
}

export function feasibilityNote(f: Feasibility, extraWarnings: string[] = []): FeasibilityNote {
  return {
    movingCopies: f.moving.copies,
    movingBytes: f.moving.bytes,
    from: f.moving.nodes,
    targets: f.targets,
    roomUnderLowBytes: f.roomUnderLowBytes,
    ...(f.largest ? { largest: f.largest } : {}),
    ...(f.fullest ? { fullest: f.fullest } : {}),
    low: f.low,
    high: f.high,
    warnings: [...extraWarnings, ...feasibilityWarnings(f)],
  };
}
