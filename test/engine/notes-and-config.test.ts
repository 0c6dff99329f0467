import { afterEach, describe, expect, inject, test } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { EngineConfigError } from '../../src/engine/errors.js';
import type { Step } from '../../src/engine/types.js';
import { toyRunbooks } from './fixtures/toy-runbooks.js';
import { approvers, harness, RecordingReporter, REQUESTER, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

const base = { requester: REQUESTER, channel: 'C1' };
let h: Harness | undefined;
const extra: Engine[] = [];
afterEach(async () => {
  for (const e of extra.splice(0)) await e.close();
  await h?.close();
  h = undefined;
});

const ok = (id: string, extraFields: Partial<Step> = {}): Step => ({
  id,
  title: id,
  run: () => Promise.resolve({ status: 'done' }),
  ...extraFields,
});

describe('notes', () => {
  test('a note with a once-key is posted once per run, even across a worker restart', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.notes', params: { checks: 8, recheckMs: 60 } });
    await eventually(async () => ((await h!.engine.getRun(run.id))?.steps[0]?.attempts ?? 0) >= 3, 'a few checks');
    await h.engine.close();
    // Another worker (another process, as far as Redis can tell) carries on with the same run.
    const reporter = new RecordingReporter();
    const next = new Engine({
      redis: inject('redisUrl'),
      prefix: h.prefix,
      queueName: h.queueName,
      runbooks: toyRunbooks(h.redis, h.ns),
      reporter,
      approvers,
    });
    extra.push(next);
    await next.startWorker();
    await eventually(async () => (await next.getRun(run.id))?.status === 'succeeded', 'the run to finish');
    const notes = [...h.reporter.of(run.id), ...reporter.of(run.id)].filter((e) => e.type === 'note');
    expect(notes).toEqual([
      { type: 'note', step: 'chatty', text: 'Started watching the recovery', level: 'info' },
      { type: 'note', step: 'chatty', text: 'Recovery is slow', level: 'warning' },
    ]);
    expect(reporter.of(run.id).filter((e) => e.type === 'note')).toEqual([]);
    // Warnings are audited; info notes are commentary and are not.
    const audit = await next.audit.read({ runId: run.id });
    expect(audit.filter((e) => e.type === 'note').map((e) => e.detail)).toEqual([
      { text: 'Recovery is slow', level: 'warning' },
    ]);
  });
});

describe('runbook checks', () => {
  test('duplicate step ids (undo ids included) are refused at creation', async () => {
    h = await harness({
      worker: false,
      runbooks: [{ name: 'bad', summary: () => '', steps: [ok('a', { undo: ok('b') }), ok('b')] }],
    });
    await expect(h.engine.createRun({ ...base, runbook: 'bad', params: {} })).rejects.toThrow(EngineConfigError);
    await expect(h.engine.createRun({ ...base, runbook: 'bad', params: {} })).rejects.toThrow(
      /step id "b" is used twice/,
    );
  });

  test('steps may depend on params', async () => {
    h = await harness({
      runbooks: [
        {
          name: 'per-node',
          summary: (p: { nodes: string[] }) => `restart ${p.nodes.join(', ')}`,
          steps: (p: { nodes: string[] }) => p.nodes.map((n) => ok(`restart-${n}`)),
        },
      ],
    });
    const { run } = await h.engine.createRun({ ...base, runbook: 'per-node', params: { nodes: ['es-1', 'es-2'] } });
    expect(run.summary).toBe('restart es-1, es-2');
    const done = await waitForStatus(h, run.id, ['succeeded']);
    expect(done.steps.map((s) => s.id)).toEqual(['restart-es-1', 'restart-es-2']);
  });

  test(
    'a run whose next step vanished from the runbook fails with a ' + 'clear reason; done steps are not repeated',
    async () => {
      const calls: string[] = [];
      const track = (id: string): Step => ({
        id,
        title: id,
        run: () => {
          calls.push(id);
          return Promise.resolve({ status: 'done' });
        },
      });
      h = await harness({
        worker: false,
        runbooks: [{ name: 'v1', summary: () => '', steps: [track('a'), track('b')] }],
      });
      const { run } = await h.engine.createRun({ ...base, runbook: 'v1', params: {} });
      // Deployed a new version of the runbook in which 'b' was renamed while the run was queued.
      const v2 = new Engine({
        redis: inject('redisUrl'),
        prefix: h.prefix,
        queueName: h.queueName,
        runbooks: [{ name: 'v1', summary: () => '', steps: [track('a'), track('b2')] }],
        reporter: h.reporter,
        approvers,
      });
      extra.push(v2);
      await v2.startWorker();
      const failed = await waitForStatus(h, run.id, ['failed']);
      expect(failed.error).toMatch(/step "b" is no longer in runbook "v1"/);
      expect(calls).toEqual(['a']);
    },
  );

  test('a step returning something that is not an outcome fails the run, naming the step', async () => {
    h = await harness({
      runbooks: [
        {
          name: 'buggy',
          summary: () => '',
          steps: [{ id: 'x', title: 'x', run: () => Promise.resolve({ status: 'wait', recheckInMs: -1 }) }],
        },
      ],
    });
    const { run } = await h.engine.createRun({ ...base, runbook: 'buggy', params: {} });
    const failed = await waitForStatus(h, run.id, ['failed']);
    expect(failed.error).toMatch(/step "x" returned wait with recheckInMs=-1/);
  });

  test('a runbook name registered twice is a configuration error', () => {
    expect(
      () =>
        new Engine({
          redis: inject('redisUrl'),
          runbooks: [
            { name: 'x', summary: () => '', steps: [ok('a')] },
            { name: 'x', summary: () => '', steps: [ok('a')] },
          ],
          reporter: new RecordingReporter(),
          approvers,
        }),
    ).toThrow(/registered twice/);
  });
});
