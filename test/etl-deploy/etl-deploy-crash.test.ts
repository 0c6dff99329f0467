import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import type { DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';
import { startWorkerProcess } from '../support/worker-process.js';
import { startDeployWorld, type DeployWorld } from './deploy-fixture.js';

describe('/etl deploy survives its worker being SIGKILLed while it watches SpotManager', () => {
  let d: DeployWorld;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await d?.close();
  });

  test(
    'the worker process killed during step 8: a new one resumes ' + 'watching, steps 1 to 7 never run again',
    async () => {
      const prefix = `etl-deploy-crash-${process.pid}-${Date.now()}`;
      d = await startDeployWorld({ stack: { worker: false, prefix } });
      const { s, w } = d;
      // The production worker wiring in its own process; it only needs the stack's estate and Slack stand-in.
      const harness = { stack: s.stack } as unknown as DrainHarness;
      children.push(await startWorkerProcess(harness, prefix, w.env));
      await d.deployToWatch();
      await w.fillQueue('active-data-etl', 30);
      await w.tick();
      await eventually(
        async () => {
          const watch = (await d.run()).steps.find((x) => x.id === 'confirm-nothing-blows-up')!;
          return (watch.state.runs as number | undefined) === 1;
        },
        "the watch to have seen SpotManager's first run",
        10_000,
      );
      const before = await d.run();

      children[0]!.kill('SIGKILL');
      children.push(await startWorkerProcess(harness, prefix, w.env));
      await eventually(
        async () => (await w.targets.fleet.listEtlInstances()).counts.running === 1,
        'the instance to run',
      );
      await new Promise((r) => setTimeout(r, 250));
      await d.tickUntil(async () => (await d.run()).status === 'succeeded', 'the deploy to succeed after the restart');

      const after = await d.run();
      for (const step of after.steps.slice(0, 7)) {
        const was = before.steps.find((x) => x.id === step.id)!;
        expect([step.id, step.status, step.attempts]).toEqual([was.id, 'done', was.attempts]);
      }
      const watch = after.steps.find((x) => x.id === 'confirm-nothing-blows-up')!;
      expect(watch.state.runs).toBe(2);
      // The run is saved as succeeded before the worker process posts its final reply: wait for that.
      const thread = await eventually(async () => {
        const t = (await d.thread()).join('\n');
        return t.includes(':tada: nothing blew up') ? t : undefined;
      }, 'the final reply in the thread');
      for (const title of [
        'Stop SpotManager',
        'Terminate all ETL instances',
        'Push code to `etl` branch',
        'Start SpotManager',
      ]) {
        expect(thread.split(`:white_check_mark: *${title}*`)).toHaveLength(2); // each step's result once
      }
      expect(thread).toContain(':tada: nothing blew up: 1 ETL instance(s) set up');
      expect(s.stack.slack.messages('C0OPS')).toHaveLength(1);
    },
    60_000,
  );
});
