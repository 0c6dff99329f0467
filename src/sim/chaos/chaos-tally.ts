import type { ChaosRunbook, FaultKind } from './fault-schedule.js';
import type { Invariant, Violation } from './invariant-monitor.js';

/** What one schedule came to, as the tally counts it. */
export interface ScheduleResult {
  seed: number;
  runbook: ChaosRunbook;
  /** The runbook's options when they matter to what it does: "drain ×2 --fast". */
  variant?: string;
  faults: FaultKind[];
  /** The run's last status (succeeded, failed, reverted...) or "refused" when the plan refused. */
  outcome: string;
  checks: Record<Invariant, number>;
  /** Steps that ran longer than I5 allows without a budget to check them against (no watchdog yet). */
  unbudgeted: number;
  /** Findings where the fault came after the bot's last read of what it judged by (see InvariantMonitor.races). */
  races: number;
  violations: Violation[];
  /** The schedule and what happened, for the failure message and the replay. */
  report: string;
}

type Counts = Record<string, number>;
const bump = (c: Counts, k: string, n = 1) => {
  c[k] = (c[k] ?? 0) + n;
};

/** Counts per runbook, per fault type, per outcome and per invariant (checks and violations). */
export class ChaosTally {
  readonly runbooks: Counts = {};
  readonly faults: Counts = {};
  readonly outcomes: Counts = {};
  readonly checks: Counts = {};
  readonly violations: Counts = {};
  readonly failed: ScheduleResult[] = [];
  schedules = 0;
  unbudgeted = 0;
  races = 0;

  add(r: ScheduleResult): void {
    this.schedules++;
    bump(this.runbooks, r.variant ?? r.runbook);
    for (const f of r.faults) bump(this.faults, f);
    bump(this.outcomes, r.outcome);
    for (const [k, n] of Object.entries(r.checks)) bump(this.checks, k, n);
    for (const v of r.violations) bump(this.violations, v.invariant);
    this.unbudgeted += r.unbudgeted;
    this.races += r.races;
    if (r.violations.length) this.failed.push(r);
  }

  /** A table a person can read at the end of `npm run chaos`. */
  summary(): string {
    const line = (title: string, c: Counts) =>
      `${title.padEnd(12)} ${Object.entries(c)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, n]) => `${k} ${n}`)
        .join(' · ')}`;
    return [
      `${this.schedules} schedules, ${this.failed.length} with a violation`,
      line('runbooks', this.runbooks),
      line('faults', this.faults),
      line('outcomes', this.outcomes),
      line('checks', this.checks),
      line('violations', this.violations),
      `races: ${this.races} (the fault came after the bot's last read of what it judged by: not violations)`,
      `operator cancels: ${this.unbudgeted} run(s) cancelled past the harness's patience (I5 checked on budgets)`,
    ].join('\n');
  }
}
