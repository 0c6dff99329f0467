import { describe, expect, test } from 'vitest';
import { parseCommand } from '../../src/commands/grammar.js';
import { raisedAlarms, type Run, type Step, type StepContext } from '../../src/engine/index.js';
import { runParts, type PartsState, type StepPart } from '../../src/runbooks/etl-deploy/step-parts.js';
import { newEvents } from '../../src/runbooks/etl-deploy/log-cursor.js';
import { comeUpStart, comeUpTimes, expectedLeft, runSamples } from '../../src/runbooks/etl-deploy/run-pace.js';
import {
  SPOTMANAGER_STOPPED,
  revertPlan,
  troubleAdvice,
  type EtlDeployDeps,
  type EtlDeployParams,
} from '../../src/runbooks/etl-deploy/index.js';
import { revertDeploy } from '../../src/runbooks/etl-deploy/revert-step.js';
import { startSpotManager, stopSpotManager } from '../../src/runbooks/etl-deploy/spotmanager-steps.js';
import { troubleKey } from '../../src/runbooks/etl-deploy/trouble-advice.js';
import { BASE_WORKERS, PERF_WORKERS, etlSettingsFileText } from '../../src/sim/etl/index.js';
import { EtlError, mergeNames, resourceNames } from '../../src/targets/etl/index.js';
import { parseLine, parseLog } from '../../src/targets/spotmanager/index.js';

describe('/etl deploy COMMIT: the commit is a hexadecimal id before anything runs', () => {
  test.each([
    ['deploy 4f1c2ab', { ok: true, command: { name: 'etl.deploy', commit: '4f1c2ab' } }],
    [
      'deploy 4F1C2AB9D0E1F2A3B4C5D6E7F8091A2B3C4D5E6F',
      { ok: true, command: { name: 'etl.deploy', commit: '4f1c2ab9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f' } },
    ],
    ['deploy abc123', { ok: false, error: 'commit must be a commit id: 7 to 40 hexadecimal digits (got "abc123")' }],
    ['deploy master', { ok: false, error: 'commit must be a commit id: 7 to 40 hexadecimal digits (got "master")' }],
    [
      'deploy 4f1c2ab;rm',
      { ok: false, error: 'commit must be a commit id: 7 to 40 hexadecimal digits (got "4f1c2ab;rm")' },
    ],
    ['deploy --upload-pack=x', { ok: false, error: 'unknown option --upload-pack' }],
    ['deploy', { ok: false, error: 'missing <commit>' }],
  ])('/etl %s', (text, expected) => {
    expect(parseCommand('/etl', text)).toMatchObject(expected);
  });

  test('backfill and /spot start take no argument; the usage shows the commit', () => {
    expect(parseCommand('/etl', 'backfill')).toMatchObject({ ok: true, key: 'etl backfill', changes: true });
    expect(parseCommand('/spot', 'start')).toMatchObject({
      ok: true,
      command: { name: 'spot.start' },
      key: 'spot start',
      changes: true,
    });
    expect(parseCommand('/etl', 'deploy x')).toMatchObject({ ok: false, usage: ['/etl deploy <commit> [--dry-run]'] });
  });

  test.each(['1.5x', 'lots', '-1', '1,50', '$2', '2/h'])(
    'a budget with letters or signs (%s) is a usage error naming the amount; nothing is planned',
    (amount) => {
      expect(parseCommand('/etl', `budget ${amount}`)).toEqual({
        ok: false,
        error: `dollars-per-hour must be a number (got ${JSON.stringify(amount)})`,
        usage: ['/etl budget [<dollars-per-hour>] [--dry-run]'],
      });
    },
  );

  test('/spot start takes nothing; /spot log takes a count', () => {
    expect(parseCommand('/spot', 'start now')).toMatchObject({ ok: false, usage: ['/spot start [--dry-run]'] });
    expect(parseCommand('/spot', 'log abc')).toMatchObject({ ok: false, error: 'lines must be a number (got "abc")' });
  });
});

describe('the queues, buckets and tables an ETL settings file names', () => {
  test(
    "ActiveData-ETL's layout: work queue, notify queues, source and destination buckets, ES " +
      "indexes; the debug log sinks are not the ETL's",
    () => {
      const names = resourceNames(etlSettingsFileText({ workers: [...BASE_WORKERS, ...PERF_WORKERS] }), 'etl.json');
      expect(names).toEqual({
        queues: ['active-data-etl', 'active-data-index', 'active-data-index-perfherder'],
        buckets: ['active-data-perfherder', 'ekyle-pulse-logger', 'ekyle-test-result'],
        tables: ['perf', 'unittest'],
      });
    },
  );

  test('push_to_es layout (elasticsearch sections), several files merged', () => {
    const pushToEs = `{
      "work_queue": {"name": "active-data-index-es5", "debug": true},  // comment
      "workers": [{"name": "jobs", "elasticsearch": {"host": "http://localhost", "port": 9200, "index": "jobs"}, "source": {"bucket": "active-data-jobs"}},],
    }`;
    const merged = mergeNames([
      resourceNames(pushToEs, 'push_to_es.json'),
      resourceNames(etlSettingsFileText({ workers: BASE_WORKERS }), 'etl.json'),
    ]);
    expect(merged.queues).toEqual(['active-data-etl', 'active-data-index', 'active-data-index-es5']);
    expect(merged.buckets).toContain('active-data-jobs');
    expect(merged.tables).toEqual(['jobs', 'unittest']);
  });

  test('a name that could not be a queue or bucket, or a file that is not JSON, is refused with where', () => {
    expect(() => resourceNames('{"work_queue": {"name": "a queue; rm -rf"}}', 'etl.json at abc1234')).toThrow(
      new EtlError(
        'etl.json at abc1234: work_queue.name is "a queue; rm -rf", which is not a queue, bucket or index name',
        'settings',
      ),
    );
    expect(() => resourceNames('{"work_queue": ', 'etl.json')).toThrow(
      /^etl\.json is not valid JSON \(with \/\/ comments\): line \d+, column \d+: /,
    );
  });
});

describe('SpotManager trouble in the thread', () => {
  const line = (message: string) => parseLine(`2016-01-12 23:11:21 - ${message}`)!;

  test('Can not fund: the budget to ask for when the budget is short; max_utility_price when it is not', () => {
    expect(
      troubleAdvice(
        line('Can not fund 1.0 more utility (all utility costs more than $0.03/hour).  Remaining budget is $0.02 '),
        0.05,
      ),
    ).toBe(
      'SpotManager says `Can not fund 1.0 more utility (all utility costs more than ' +
        '$0.03/hour).  Remaining budget is $0.02`: the budget is too small for the work queue. ' +
        'Raise it to at least $0.08/hour: `/etl budget 0.08` (a second person approves; its next ' +
        'run applies it).',
    );
    expect(
      troubleAdvice(
        line('Can not fund 3.0 more utility (all utility costs more than $0.01/hour).  Remaining budget is $2.5 '),
        2.5,
      ),
    ).toContain('Raising the budget alone will not help: raise max_utility_price');
  });

  test(
    'Time is up, failed requests, startup failures each say what to do; a line with <, > or ' +
      '` cannot break the message',
    () => {
      expect(
        troubleAdvice(line('WARNING: Problem with setup of i-0abc.  Time is up.  Instance TERMINATED!'), 1),
      ).toContain('did not finish its setup in time');
      expect(
        troubleAdvice(line('WARNING: Request instance c4.large failed because Max spot instance count exceeded'), 1),
      ).toContain('spot instance limit');
      expect(troubleAdvice(line('ERROR: Unexpected failure on startup'), 1)).toContain('failed on startup');
      expect(troubleAdvice(line('ERROR: <!channel> `boom` & more'), 1)).toBe(
        "SpotManager says `ERROR: &lt;!channel&gt; 'boom' &amp; more`. See `/spot log`.",
      );
    },
  );

  test('the same line in a later run is the same trouble (posted once); another number is another', () => {
    const a = parseLine(
      '2016-01-12 23:11:21 - Can not fund 1.0 more utility (all utility costs more than ' +
        '$0.03/hour).  Remaining budget is $0.02 ',
    )!;
    const b = parseLine(
      '2016-01-12 23:21:21 - Can not fund 1.0 more utility (all utility costs more than ' +
        '$0.03/hour).  Remaining budget is $0.02 ',
    )!;
    const c = parseLine(
      '2016-01-12 23:31:21 - Can not fund 2.0 more utility (all utility costs more than ' +
        '$0.03/hour).  Remaining budget is $0.02 ',
    )!;
    expect(troubleKey(a)).toBe(troubleKey(b));
    expect(troubleKey(a)).not.toBe(troubleKey(c));
  });
});

describe("SpotManager's log: new lines, and the pace of its past come-ups", () => {
  const log = [
    '2016-01-12 23:00:00 - Get pricing from AWS',
    '2016-01-12 23:00:01 - No more pending spot requests',
    '2016-01-12 23:10:00 - Get pricing from AWS',
    '2016-01-12 23:10:02 - have 0 utility running; need 3 more utility',
  ];
  test('not before a time (the second of the time counts)', () => {
    expect(newEvents(log, Date.parse('2016-01-12T23:10:00.700Z')).map((e) => e.kind)).toEqual(['pricing', 'utility']);
  });

  const at = (m: number) =>
    `2016-01-12 ${String(10 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  const run = (m: number, need: number, settled: boolean) => [
    `${at(m)} - Get pricing from AWS`,
    `${at(m)} - have 3 utility running; need ${need} more utility`,
    settled ? `${at(m)} - No more pending spot requests` : `${at(m)} - waiting for spot requests: ['sir-1']`,
  ];
  const minute = 60_000;
  // Came up twice: 10:00 → 10:20 (20 min) and 11:00 → 11:40 (40 min); a third come-up started at 12:00.
  const history = [
    ...run(0, 3, false),
    ...run(10, 1, false),
    ...run(20, 0, true),
    ...run(30, 0, true),
    ...run(60, 5, false),
    ...run(80, 0, false),
    ...run(100, 0, true),
    ...run(120, 4, false),
  ];
  const samples = runSamples(parseLog(history));
  test('a come-up: from the first run that wants utility (or waits for requests) to the first that has it all', () => {
    expect(samples.map((s) => [s.needed, s.settled])).toEqual([
      [3, false],
      [1, false],
      [0, true],
      [0, true],
      [5, false],
      [0, false],
      [0, true],
      [4, false],
    ]);
    expect(comeUpTimes(samples)).toEqual([20 * minute, 40 * minute]);
    expect(comeUpStart(samples)).toBe(Date.parse('2016-01-12T12:00:00Z'));
    expect(comeUpStart(samples.slice(0, 4))).toBeUndefined();
  });
  test('the expected time left: the median past come-up less the time this one has run; none without a past', () => {
    const start = Date.parse('2016-01-12T12:00:00Z');
    expect(expectedLeft([20 * minute, 40 * minute, 30 * minute], start, start + 10 * minute)).toEqual({
      leftMs: 20 * minute,
      typicalMs: 30 * minute,
      basedOn: 3,
    });
    expect(expectedLeft([20 * minute], start, start + 25 * minute)).toMatchObject({ leftMs: 0 });
    expect(expectedLeft([], start, start)).toBeUndefined();
  });
});

describe('the card never leaves SpotManager stopped silently', () => {
  // The deploy's own steps (their deps are used only when they run): what they raise and clear is copied to
  // their records.
  const stop = stopSpotManager({} as EtlDeployDeps, revertDeploy({} as EtlDeployDeps));
  const steps: Record<string, Step<never>> = {
    'stop-spotmanager': stop,
    'start-spotmanager': startSpotManager({} as EtlDeployDeps),
    'undo-start-spotmanager': stop.undo!,
  };
  const rec = (id: string, status: 'done' | 'pending' | 'skipped') => ({
    id,
    title: id,
    destructive: false,
    status,
    attempts: 0,
    state: {},
    ...(steps[id]!.raises ? { raises: [...steps[id]!.raises] } : {}),
    ...(steps[id]!.clears ? { clears: [...steps[id]!.clears] } : {}),
  });
  const run = (steps: ReturnType<typeof rec>[], undo: ReturnType<typeof rec>[] = []) =>
    ({ steps, undoSteps: undo, phase: undo.length ? 'undo' : 'forward' }) as unknown as Run;
  const leftSpotManagerStopped = (r: Run) => raisedAlarms(r).includes(SPOTMANAGER_STOPPED);
  test('stopped by step 1 and not started since (step 7 or the revert)', () => {
    expect(leftSpotManagerStopped(run([rec('stop-spotmanager', 'done'), rec('start-spotmanager', 'skipped')]))).toBe(
      true,
    );
    expect(leftSpotManagerStopped(run([rec('stop-spotmanager', 'done'), rec('start-spotmanager', 'done')]))).toBe(
      false,
    );
    expect(
      leftSpotManagerStopped(run([rec('stop-spotmanager', 'done')], [rec('undo-start-spotmanager', 'done')])),
    ).toBe(false);
    expect(leftSpotManagerStopped(run([rec('stop-spotmanager', 'pending')]))).toBe(false);
  });
});

describe('the revert of a deploy does what the run got to, in one approved step', () => {
  const p = {
    repo: { branch: 'etl' },
    commit: { short: 'def5678' },
    from: { short: 'abc1234' },
  } as unknown as EtlDeployParams;
  const upTo = (ids: string[]) => ({ steps: ids.map((id) => ({ id, status: 'done' })), outputs: {} }) as unknown as Run;
  test('after step 1: start SpotManager; after 5: move etl back too; after 7: stop and terminate first', () => {
    const start = 'Start SpotManager (exactly the cron line the bot disabled)';
    expect(revertPlan(upTo(['stop-spotmanager', 'terminate-etl-instances']), p)).toEqual([start]);
    expect(revertPlan(upTo(['stop-spotmanager', 'push-etl-branch']), p)).toEqual([
      'Move `etl` back: def5678 → abc1234',
      start,
    ]);
    expect(revertPlan(upTo(['stop-spotmanager', 'push-etl-branch', 'start-spotmanager']), p)).toEqual([
      'Stop SpotManager (its ETL cron line disabled again, its log quiet)',
      'Terminate the ETL instances started since step 7 (they run the new code) and cancel their spot requests',
      'Move `etl` back: def5678 → abc1234',
      start,
    ]);
    // A branch that did not exist before is not deleted.
    expect(revertPlan(upTo(['stop-spotmanager', 'push-etl-branch']), { ...p, from: undefined })).toEqual([start]);
  });
});

describe('a step of several parts (the revert) resumes at the part it was in', () => {
  test('a part that waits makes the step wait; the next call goes on from that part, never redoing one', async () => {
    const calls: string[] = [];
    const notes: string[] = [];
    let waited = false;
    const parts: StepPart<object>[] = [
      { id: 'a', title: 'A', run: () => (calls.push('a'), Promise.resolve({ status: 'done', summary: 'one' })) },
      {
        id: 'b',
        title: 'B',
        run: (c) => {
          calls.push('b');
          c.state.n = ((c.state.n as number | undefined) ?? 0) + 1;
          if (!waited) {
            waited = true;
            return Promise.resolve({ status: 'wait', recheckInMs: 10 });
          }
          return Promise.resolve({ status: 'done', summary: `after ${String(c.state.n)} calls`, output: { b: 1 } });
        },
      },
      {
        id: 'c',
        title: 'C',
        run: (c) => (calls.push(`c:${String(c.run.outputs.b)}`), Promise.resolve({ status: 'done' })),
      },
    ];
    const state = {};
    const ctx = () =>
      ({
        run: { outputs: {} },
        step: { id: 'undo' },
        state,
        note: (text: string) => (notes.push(text), Promise.resolve()),
      }) as unknown as StepContext<object, PartsState>;
    expect(await runParts(ctx(), parts)).toEqual({ status: 'wait', recheckInMs: 10 });
    expect(await runParts(ctx(), parts)).toEqual({
      status: 'done',
      summary: 'A: one; B: after 2 calls; C',
      output: { b: 1 },
    });
    expect(calls).toEqual(['a', 'b', 'b', 'c:1']);
    expect(notes).toEqual([':white_check_mark: A: one', ':white_check_mark: B: after 2 calls', ':white_check_mark: C']);
  });
});
