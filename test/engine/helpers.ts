import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import type { ApproverPolicy, Run, RunEvent, RunReporter } from '../../src/engine/types.js';
import { eventually } from '../support/wait.js';
import { toyRunbooks } from './fixtures/toy-runbooks.js';

/** A reporter that remembers every event, per run. */
export class RecordingReporter implements RunReporter {
  readonly events: { run: string; event: RunEvent; status: Run['status'] }[] = [];
  onEvent(run: Run, event: RunEvent): Promise<void> {
    this.events.push({ run: run.id, event, status: run.status });
    return Promise.resolve();
  }
  of(runId: string): RunEvent[] {
    return this.events.filter((e) => e.run === runId).map((e) => e.event);
  }
  types(runId: string, opts: { withProgress?: boolean } = {}): string[] {
    return this.of(runId)
      .map((e) => e.type)
      .filter((t) => opts.withProgress || t !== 'progress');
  }
}

export const APPROVER = 'U_APPROVER';
export const APPROVER2 = 'U_APPROVER2';
export const REQUESTER = 'U_REQUESTER';
export const STRANGER = 'U_STRANGER';

/** Approvers are a fixed list; the requester is on it too, so 'self' is tested on its own. */
export const approvers: ApproverPolicy = {
  canApprove: (userId) => Promise.resolve([APPROVER, APPROVER2, REQUESTER].includes(userId)),
};

export interface Harness {
  engine: Engine;
  reporter: RecordingReporter;
  redis: Redis;
  ns: string;
  prefix: string;
  queueName: string;
  calls(): Promise<string[]>;
  close(): Promise<void>;
}

/** An engine on the shared private Redis, with its own key prefix and queue. */
export async function harness(
  opts: Partial<EngineOptions> & { worker?: boolean; concurrency?: number } = {},
): Promise<Harness> {
  const url = inject('redisUrl');
  const id = randomBytes(4).toString('hex');
  const prefix = `t${id}`;
  const ns = `${prefix}:toy`;
  const queueName = `q${id}`;
  const redis = new Redis(url);
  const reporter = new RecordingReporter();
  const engine = new Engine({
    redis: url,
    prefix,
    queueName,
    runbooks: toyRunbooks(redis, ns),
    reporter,
    approvers,
    retry: { baseMs: 20, maxMs: 80, giveUpAfterMs: 60_000 },
    ...opts,
  });
  if (opts.worker !== false) await engine.startWorker({ concurrency: opts.concurrency ?? 4 });
  return {
    engine,
    reporter,
    redis,
    ns,
    prefix,
    queueName,
    calls: () => redis.lrange(`${ns}:calls`, 0, -1),
    close: async () => {
      await engine.close();
      redis.disconnect();
    },
  };
}

const TERMINAL = new Set<Run['status']>(['succeeded', 'failed', 'denied', 'expired', 'cancelled', 'reverted']);

/**
 * Waits until the run is stored in one of `statuses` AND the reporter has heard of it: the engine
 * saves a change before it emits the event, so a test that looks at events must wait for both.
 */
export async function waitForStatus(
  h: Harness,
  runId: string,
  statuses: Run['status'][],
  timeoutMs?: number,
): Promise<Run> {
  return eventually(
    async () => {
      const run = await h.engine.getRun(runId);
      // Only terminal statuses have an event of their own; a harness with another reporter records none.
      const terminal = statuses.every((st) => TERMINAL.has(st));
      const mine = h.reporter.events.filter((e) => e.run === runId);
      const reported = !terminal || mine.length === 0 || mine.some((e) => statuses.includes(e.status));
      return run && statuses.includes(run.status) && reported ? run : undefined;
    },
    `run ${runId} to reach ${statuses.join('|')}`,
    timeoutMs,
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
