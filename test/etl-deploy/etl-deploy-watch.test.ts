import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import type { DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';
import { startWorkerProcess } from '../support/worker-process.js';
import { bob, startDeployWorld, type DeployWorld } from './deploy-fixture.js';

describe('/etl deploy, step 8: following SpotManager as it comes up', () => {
  let d: DeployWorld;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await d?.close();
  });

  test('a budget too small: "Can not fund" is in the thread, with the budget to ask for, after one SpotManager run; raising it lets the deploy finish', async () => {
    d = await startDeployWorld({ settings: { budget: '0.05' } });
    const { s, w } = d;
    await d.deployToWatch();
    await w.fillQueue('active-data-etl', 30);
    await w.tick(); // one SpotManager run
    const advice = await eventually(async () => (await d.thread()).find((t) => t.includes('Can not fund')), 'the Can not fund advice in the thread', 5_000);
    expect(advice).toContain(':warning: SpotManager says `Can not fund 1.0 more utility (all utility costs more than $0.03/hour).  Remaining budget is $0.02`: the budget is too small for the work queue. Raise it to at least $0.08/hour: `/etl budget 0.08`');
    // The progress card's figures (fields) as Slack gets them, once the watch has seen the whole run.
    const figures = ['*Errors*\\n:warning: 1, last', '*Exposure vs budget*\\n$0.0319/hour bid of $0.05/hour', '*Utility*\\n0 running; need 3 more', '*Instances*\\nrequested ', '*ETL queue*\\nactive-data-etl: 30 waiting'];
    await eventually(() => {
      const card = JSON.stringify(s.stack.slack.messages('C0OPS')[0]!.blocks);
      return figures.every((f) => card.includes(f));
    }, `the card to show ${figures.join(', ')}`);
    expect((await d.run()).status).toBe('waiting'); // still watching


    await s.command('/etl', 'budget 0.08');
    await s.click('run_approve', bob, await s.message('Increase the ETL budget'));
    await eventually(async () => (await w.targets.spotManager().readSettings()).budget === 0.08, 'the new budget');
    await d.tickUntil(async () => (await w.targets.fleet.listEtlInstances()).requests.length === 2, 'the second request');
    await eventually(async () => { const c = (await w.targets.fleet.listEtlInstances()).counts; return c.running + c.setup === 2; }, 'both instances running');
    await new Promise((r) => setTimeout(r, 250));
    await d.tickUntil(async () => (await d.run()).status === 'succeeded', 'the deploy to succeed');
    expect((await d.thread()).filter((t) => t.includes('Can not fund'))).toHaveLength(1);
  }, 60_000);

  test('the worker process killed during step 8: a new one resumes watching, steps 1 to 7 never run again', async () => {
    const prefix = `etl-deploy-crash-${process.pid}-${Date.now()}`;
    d = await startDeployWorld({ stack: { worker: false, prefix } });
    const { s, w } = d;
    // The production worker wiring in its own process; it only needs the stack's estate and Slack stand-in.
    const harness = { stack: s.stack } as unknown as DrainHarness;
    children.push(await startWorkerProcess(harness, prefix, w.env));
    await d.deployToWatch();
    await w.fillQueue('active-data-etl', 30);
    await w.tick();
    await eventually(async () => {
      const watch = (await d.run()).steps.find((x) => x.id === 'confirm-nothing-blows-up')!;
      return (watch.state.runs as number | undefined) === 1;
    }, 'the watch to have seen SpotManager\'s first run', 10_000);
    const before = await d.run();

    children[0]!.kill('SIGKILL');
    children.push(await startWorkerProcess(harness, prefix, w.env));
    await eventually(async () => (await w.targets.fleet.listEtlInstances()).counts.running === 1, 'the instance to run');
    await new Promise((r) => setTimeout(r, 250));
    await d.tickUntil(async () => (await d.run()).status === 'succeeded', 'the deploy to succeed after the restart');

    const after = await d.run();
    for (const step of after.steps.slice(0, 7)) {
      const was = before.steps.find((x) => x.id === step.id)!;
      expect([step.id, step.status, step.attempts]).toEqual([was.id, 'done', was.attempts]);
    }
    const watch = after.steps.find((x) => x.id === 'confirm-nothing-blows-up')!;
    expect(watch.state.runs).toBe(2);
    const thread = (await d.thread()).join('\n');
    for (const title of ['Stop SpotManager', 'Terminate all ETL instances', 'Push code to `etl` branch', 'Start SpotManager']) {
      expect(thread.split(`:white_check_mark: *${title}*`)).toHaveLength(2); // each step's result once
    }
    expect(thread).toContain(':tada: nothing blew up: 1 ETL instance(s) set up');
    expect(s.stack.slack.messages('C0OPS')).toHaveLength(1);
  }, 60_000);
});
