import {
  readAllocationFacts,
  splitList,
  type AllocationFacts,
  type ClusterReader,
  type NodeRow,
  type SettingsWithDefaults,
} from '../../targets/elasticsearch/index.js';
import { blockerReasons } from './blocked-text.js';
import { feasibilityNote, type FeasibilityNote } from './feasibility-note.js';
import { judgeExclusion, judgeRestart } from './judge-moves.js';
import { restartMoves } from './restart-moves.js';

/** What a plan takes from the precheck: reasons to refuse (each with its fix) and the card's note. */
export interface Precheck {
  refusals: string[];
  note: FeasibilityNote;
}

/** Persistent list values the plan's write adds: `{ 'cluster.routing.allocation.exclude._ip': ['10.0.0.3'] }`. */
export type ListAdditions = Record<string, string[]>;

/** The settings as the plan's write would leave them: each value appended to its persistent list. */
export function settingsAfter(s: SettingsWithDefaults, add: ListAdditions): SettingsWithDefaults {
  const persistent = { ...s.persistent };
  for (const [key, values] of Object.entries(add)) {
    const list = splitList(persistent[key]);
    persistent[key] = [...list, ...values.filter((v) => !list.includes(v))].join(',');
  }
  return { ...s, persistent };
}

/** Drain, exclude-zone, maintain: every copy the exclusion sends away has somewhere to go. One facts read. */
export async function exclusionPrecheck(
  cluster: ClusterReader,
  add: ListAdditions,
  nodes?: NodeRow[],
): Promise<Precheck> {
  const facts = await readAllocationFacts(cluster, nodes);
  return exclusionVerdict(facts, add);
}

export function exclusionVerdict(facts: AllocationFacts, add: ListAdditions): Precheck {
  const f = judgeExclusion(facts, settingsAfter(facts.settings, add));
  return { refusals: blockerReasons(f), note: feasibilityNote(f) };
}

/** Rolling restart, bounce: a restarted node above the low watermark gets nothing back; that must fit elsewhere. */
export function restartVerdict(facts: AllocationFacts, restarting: readonly string[]): Precheck {
  const f = judgeRestart(facts, restarting);
  const refusals = blockerReasons(f).map((r) => `after a restart: ${r}`);
  return { refusals, note: feasibilityNote(f, restartMoves(f)) };
}
