import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Run } from '../engine/types.js';

/** What the scrape-time gauges read: the engine's active runs and its queue (see Engine). */
export interface RunSource {
  activeRuns(): Promise<Run[]>;
  queueCounts(): Promise<Record<string, number>>;
}

export interface BotMetricsOptions {
  /** Labels on every series, e.g. { process: 'worker' }: web and worker export the same names. */
  labels?: Record<string, string>;
  /** Process memory, CPU, event-loop lag (prom-client's defaults). Off in tests that build many stacks. */
  defaultMetrics?: boolean;
  /** A scrape never waits longer than this for Redis; the Redis-fed gauges are then left out. */
  sourceTimeoutMs?: number;
  now?: () => number;
}

/** Steps last seconds (a settings write) to a day (a 2 TB drain): buckets span that range. */
const STEP_BUCKETS = [0.5, 2, 10, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600];
const REQUEST_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Every series the bot exports, on its own registry (not prom-client's global one, so that tests
 * and local mode can build several bots in one process). Event-fed series are counted where the
 * event happens (web: requests and approvals; worker: steps); Redis-fed gauges (active runs,
 * pending approvals, queue depth) are read at scrape time and are the same from every process,
 * so aggregate them with max(), not sum().
 */
export class BotMetrics {
  readonly registry = new Registry();
  readonly runs: Counter<'runbook' | 'state'>;
  readonly steps: Counter<'runbook' | 'step' | 'outcome'>;
  readonly stepDuration: Histogram<'runbook' | 'step' | 'outcome'>;
  readonly approvals: Counter<'runbook' | 'decision'>;
  readonly runWarnings: Counter<'runbook'>;
  readonly slackRequests: Counter<'method' | 'status'>;
  readonly slackRateLimited: Counter<'method'>;
  readonly slackDuration: Histogram<'method'>;
  readonly esDuration: Histogram<'cluster' | 'endpoint' | 'outcome'>;
  readonly esErrors: Counter<'cluster' | 'endpoint' | 'kind'>;
  private readonly activeRuns: Gauge<'runbook' | 'state'>;
  private readonly pendingApprovals: Gauge<'runbook'>;
  private readonly oldestApproval: Gauge;
  private readonly queueJobs: Gauge<'state'>;
  private readonly scrapeErrors: Counter<'source'>;
  private source?: RunSource;
  private readonly now: () => number;
  private readonly sourceTimeoutMs: number;

  constructor(opts: BotMetricsOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.sourceTimeoutMs = opts.sourceTimeoutMs ?? 2_000;
    if (opts.labels) this.registry.setDefaultLabels(opts.labels);
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.runs = new Counter({
      name: 'opsbot_runs_total',
      help: 'Runs entering a state (created, succeeded, failed, denied, expired, cancelled, reverted), by runbook',
      labelNames: ['runbook', 'state'],
      registers,
    });
    this.steps = new Counter({
      name: 'opsbot_steps_total',
      help: 'Steps finished, by runbook, step id and outcome (done, failed)',
      labelNames: ['runbook', 'step', 'outcome'],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'opsbot_step_duration_seconds',
      help: 'Wall time of a step from its first call to its end, waits and re-checks included',
      labelNames: ['runbook', 'step', 'outcome'],
      buckets: STEP_BUCKETS,
      registers,
    });
    this.approvals = new Counter({
      name: 'opsbot_approvals_total',
      help: 'Approval events by runbook and decision (requested, approved, denied, expired, refused, plan_changed)',
      labelNames: ['runbook', 'decision'],
      registers,
    });
    this.runWarnings = new Counter({
      name: 'opsbot_run_warnings_total',
      help: 'Warnings posted in run threads (outages of a target, stalls)',
      labelNames: ['runbook'],
      registers,
    });
    this.slackRequests = new Counter({
      name: 'opsbot_slack_api_requests_total',
      help: 'HTTP requests to the Slack Web API (retries included), by method and HTTP status',
      labelNames: ['method', 'status'],
      registers,
    });
    this.slackRateLimited = new Counter({
      name: 'opsbot_slack_rate_limited_total',
      help: 'Slack Web API answers 429 (rate limited), by method',
      labelNames: ['method'],
      registers,
    });
    this.slackDuration = new Histogram({
      name: 'opsbot_slack_api_request_duration_seconds',
      help: 'Slack Web API request latency',
      labelNames: ['method'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.esDuration = new Histogram({
      name: 'opsbot_es_request_duration_seconds',
      help: 'Elasticsearch request latency (progress polls included), by cluster and endpoint',
      labelNames: ['cluster', 'endpoint', 'outcome'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.esErrors = new Counter({
      name: 'opsbot_es_request_errors_total',
      help: 'Elasticsearch requests that failed, by cluster, endpoint and kind (HTTP status or error name)',
      labelNames: ['cluster', 'endpoint', 'kind'],
      registers,
    });
    this.activeRuns = new Gauge({
      name: 'opsbot_runs_active',
      help:
        'Runs not yet settled, by runbook and state (waiting = a ' +
        'delayed re-check or backoff); read from Redis at scrape',
      labelNames: ['runbook', 'state'],
      registers,
    });
    this.pendingApprovals = new Gauge({
      name: 'opsbot_approvals_pending',
      help: 'Runs waiting for an approval, by runbook; read from Redis at scrape',
      labelNames: ['runbook'],
      registers,
    });
    this.oldestApproval = new Gauge({
      name: 'opsbot_approval_pending_oldest_age_seconds',
      help: 'Age of the oldest pending approval request (0 when none)',
      registers,
    });
    this.queueJobs = new Gauge({
      name: 'opsbot_queue_jobs',
      help: 'Jobs of the BullMQ run queue by state (waiting, active, delayed...); read from Redis at scrape',
      labelNames: ['state'],
      registers,
    });
    this.scrapeErrors = new Counter({
      name: 'opsbot_metrics_source_errors_total',
      help: 'Scrapes whose Redis-fed gauges could not be read (Redis down or slow)',
      labelNames: ['source'],
      registers,
    });
  }

  /** Where the Redis-fed gauges come from (the engine); without one they are not exported. */
  watch(source: RunSource): void {
    this.source = source;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition, with the Redis-fed gauges read now. */
  async render(): Promise<string> {
    await Promise.all([this.refreshRuns(), this.refreshQueue()]);
    return this.registry.metrics();
  }

  /** Drops every series: the bot is closing, and a registry left behind would keep its collectors. */
  close(): void {
    this.registry.clear();
  }

  private async refreshRuns(): Promise<void> {
    if (!this.source) return;
    this.activeRuns.reset();
    this.pendingApprovals.reset();
    this.oldestApproval.set(0);
    const runs = await this.read('runs', () => this.source!.activeRuns());
    if (!runs) return;
    let oldest: number | undefined;
    for (const run of runs) {
      this.activeRuns.inc({ runbook: run.runbook, state: run.status });
      if (run.status === 'awaiting_approval' && run.pendingApproval) {
        this.pendingApprovals.inc({ runbook: run.runbook });
        oldest = Math.min(oldest ?? Infinity, run.pendingApproval.requestedAt);
      }
    }
    if (oldest !== undefined) this.oldestApproval.set(Math.max(0, (this.now() - oldest) / 1000));
  }

  private async refreshQueue(): Promise<void> {
    if (!this.source) return;
    this.queueJobs.reset();
    const counts = await this.read('queue', () => this.source!.queueCounts());
    for (const [state, n] of Object.entries(counts ?? {})) this.queueJobs.set({ state }, n);
  }

  /**
   * Reads a source with a deadline: the engine's Redis client queues commands while Redis is
   * down, and a scrape that hangs is worse than a scrape without those gauges.
   */
  private async read<T>(source: string, get: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.sourceTimeoutMs);
    });
    try {
      const value = await Promise.race([get(), deadline]);
      if (value === undefined) this.scrapeErrors.inc({ source });
      return value;
    } catch {
      this.scrapeErrors.inc({ source });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
