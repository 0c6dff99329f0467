export { judgeExclusion, judgeRestart } from './judge-moves.js';
export type { Feasibility } from './feasibility.js';
export { blockerReasons, blockedText } from './blocked-text.js';
export { feasibilityWarnings } from './feasibility-warnings.js';
export { feasibilityNote, type FeasibilityNote } from './feasibility-note.js';
export { restartMoves } from './restart-moves.js';
export {
  exclusionPrecheck,
  exclusionVerdict,
  restartVerdict,
  settingsAfter,
  type ListAdditions,
  type Precheck,
} from './plan-precheck.js';
