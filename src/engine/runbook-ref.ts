import type { RunbookRef } from './types.js';

/**
 * The one place a runbook's name is written: `export const drain = runbookRef<DrainParams>('es.drain')`.
 * The runbook (`{ ...drain, steps, ... }`), its card, its follow-ups and every `engine.start`
 * then refer to this handle, and the compiler checks the params at each of them.
 */
export function runbookRef<P>(name: string): RunbookRef<P> {
  return { name };
}

/** The params of `run` if it is a run of `ref`: the one checked place a stored run's params get their type back. */
export function paramsOf<P>(ref: RunbookRef<P>, run: { runbook: string; params: unknown }): P | undefined {
  return run.runbook === ref.name ? (run.params as P) : undefined;
}
