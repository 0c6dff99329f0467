import type { AnyRunbook } from '../engine/index.js';
import { drainRunbook, undrainRunbook, type DrainDeps } from './es-drain/drain-runbook.js';

export type RunbookDeps = DrainDeps;

/** Every runbook the engine can run. */
export function allRunbooks(deps: RunbookDeps): AnyRunbook[] {
  return [drainRunbook(deps), undrainRunbook(deps)];
}

export { drainParams, type DrainParams } from './es-drain/drain-params.js';
