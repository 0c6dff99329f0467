import { EngineConfigError } from './errors.js';
import type { AnyRunbook, Params, Run, Step, StepRecord } from './types.js';

/**
 * The runbooks the engine can run, and the one place that turns a run's params into its steps.
 * Step ids (forward and undo alike) must be unique within a runbook: records, approvals and the
 * cursor all refer to steps by id, so a duplicate would make two steps share one approval.
 */
export class RunbookRegistry {
  private readonly byName = new Map<string, AnyRunbook>();

  constructor(runbooks: readonly AnyRunbook[]) {
    for (const rb of runbooks) {
      if (this.byName.has(rb.name)) throw new EngineConfigError(`runbook "${rb.name}" is registered twice`);
      this.byName.set(rb.name, rb);
    }
  }

  get(name: string): AnyRunbook | undefined {
    return this.byName.get(name);
  }

  require(name: string): AnyRunbook {
    const rb = this.byName.get(name);
    if (!rb)
      throw new EngineConfigError(`unknown runbook "${name}"; known: ${[...this.byName.keys()].join(', ') || 'none'}`);
    return rb;
  }

  /** The runbook's steps for these params, checked for unique ids. */
  steps(runbook: AnyRunbook, params: Params): Step[] {
    // An AnyRunbook's steps are typed on its own params (any here); these params are the ones it made.
    const steps = (typeof runbook.steps === 'function' ? runbook.steps(params) : runbook.steps) as Step[];
    if (steps.length === 0) throw new EngineConfigError(`runbook "${runbook.name}" has no steps for these params`);
    const seen = new Set<string>();
    for (const step of steps) {
      for (const s of step.undo ? [step, step.undo] : [step]) {
        if (seen.has(s.id)) throw new EngineConfigError(`runbook "${runbook.name}": step id "${s.id}" is used twice`);
        seen.add(s.id);
      }
      if (step.undoOnStop && (!step.undo || step.undo.destructive))
        throw new EngineConfigError(
          `runbook "${runbook.name}": step "${step.id}" has undoOnStop, so its undo runs unapproved: ` +
            'it needs an undo, and one that is not destructive',
        );
    }
    return steps;
  }

  /**
   * Every step (forward and undo) of a run, by id. Resolved again on each pick-up, so it must be
   * deterministic in the params; a run's own records (not this list) decide what runs next, so a
   * runbook edited while runs are in flight cannot renumber or reorder them.
   */
  index(run: Run): Map<string, Step> {
    const map = new Map<string, Step>();
    for (const step of this.steps(this.require(run.runbook), run.params)) {
      map.set(step.id, step);
      if (step.undo) map.set(step.undo.id, step.undo);
    }
    return map;
  }
}

export function newRecord(step: Step, undoOf?: string): StepRecord {
  return {
    id: step.id,
    title: step.title,
    destructive: step.destructive === true,
    status: 'pending',
    attempts: 0,
    state: {},
    ...(undoOf !== undefined ? { undoOf } : {}),
    ...(step.raises?.length ? { raises: [...step.raises] } : {}),
    ...(step.clears?.length ? { clears: [...step.clears] } : {}),
    ...(step.retryable ? { retryable: true } : {}),
  };
}

/** Done forward steps that have an undo, newest first: what a revert would run. */
export function undoableSteps(run: Run, index: Map<string, Step>): { forward: string; undo: Step }[] {
  const out: { forward: string; undo: Step }[] = [];
  for (const rec of [...run.steps].reverse()) {
    const changed = rec.status === 'done' || (rec.landed === true && rec.status !== 'undone');
    const undo = changed ? index.get(rec.id)?.undo : undefined;
    if (undo) out.push({ forward: rec.id, undo });
  }
  return out;
}
