import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { freePort } from '../../src/sim/services/free-port.js';
import { eventually } from '../support/wait.js';
import { startEtlWorld, type EtlWorld } from './etl-fixture.js';
import { alice, bob, startEtlStack, type EtlStack } from './etl-stack.js';

describe('/etl status, /etl budget, /spot log through Slack (stand-ins for EC2, SQS, S3 and SpotManager)', () => {
  let w: EtlWorld;
  let s: EtlStack;
  afterEach(async () => {
    await s?.close();
    await w?.close();
  });
  const read = (p: string) => readFileSync(p, 'utf8');

  /** SpotManager comes up: one run requests a c4.xlarge for 30 messages, the next sets it up. */
  async function fleetComesUp() {
    await w.fillQueue('active-data-etl', 30);
    await w.tick();
    await eventually(
      async () => (await w.targets.fleet.listEtlInstances()).counts.running === 1,
      'the instance to run',
    );
    await new Promise((r) => setTimeout(r, 250)); // the stand-in sets up instances that ran 200 ms
    await w.tick();
  }

  test(
    'status: SpotManager enabled with its last run, the fleet by phase (only ETL instances), the queues with ' +
      'their trend',
    async () => {
      w = await startEtlWorld();
      w.aws.ec2.sim.launch('r3.2xlarge', 'us-west-2c', 'ami-es', undefined, undefined, [
        { key: 'Name', value: 'ActiveData ES spot instance' },
      ]);
      await fleetComesUp();
      s = await startEtlStack(w);

      await s.command('/etl', 'status');
      const message = await s.message('ETL instances');
      const card = s.text(message);
      const fields = JSON.stringify(message.blocks);
      expect(card).toContain('ETL: SpotManager enabled · 1 set up, 0 coming up · 30 queued in active-data-etl');
      expect(card).toMatch(
        /\*SpotManager\* on \S+@127\.0\.0\.1: :large_green_circle: \*enabled\* \(its ETL line runs from \S+crontab on /,
      );
      expect(card).toContain('$1.00/hour'); // the budget
      expect(card).toContain('$0.0528/hour (current price $0.048/hour)'); // its last run's Total Exposure
      expect(card).toContain('4 running; need -1 more');
      for (const f of [
        '*Requested*\\n0',
        '*Pending*\\n0',
        '*Running*\\n0',
        '*Set up*\\n1',
        '*Cost now*\\n$0.048/hour (bids $0.0528/hour)',
        '*Requests made*\\n0; 1 set up',
      ])
        expect(fields).toContain(f);
      expect(card).toMatch(/i-[0-9a-f]+\s+c4\.xlarge\s+us-west-2c\s+set up\s+\$0\.048\s+\$0\.0528/);
      expect(card).not.toContain('r3.2xlarge'); // the ES spot node is not the ETL's
      expect(card).toMatch(/active-data-etl\s+30\s+0\s+first look/);
      expect(card).toMatch(/active-data-index\s+0\s+0\s+first look/);

      await w.fillQueue('active-data-etl', 5);
      await s.command('/etl', 'status');
      await eventually(
        () => s.channelTexts().filter((t) => t.includes('ETL instances')).length === 2,
        'the second card',
      );
      const second = s.channelTexts().filter((t) => t.includes('ETL instances'))[1]!;
      expect(second).toMatch(/active-data-etl\s+35\s+0\s+↑ \+5 since \d\d:\d\d:\d\d UTC/);
      expect(second).toMatch(/active-data-index\s+0\s+0\s+= no change since/);
    },
  );

  test('status after stop: the card says stopped', async () => {
    w = await startEtlWorld();
    await w.targets.spotManager().disable();
    s = await startEtlStack(w);
    await s.command('/etl', 'status');
    const card = s.text(await s.message('ETL instances'));
    expect(card).toContain('SpotManager STOPPED');
    expect(card).toContain('*stopped* (its ETL line is disabled');
    expect(card).toContain('no run in its log yet');
  });

  test(
    'budget: a second person approves; only the number in the ETL file changes; SpotManager reads it on its ' +
      'next run',
    async () => {
      w = await startEtlWorld({ settings: { maxUtilityPrice: '0.01' } });
      const etlBefore = read(w.host.settingsPath);
      const esBefore = read(w.host.esSettingsPath);
      s = await startEtlStack(w);

      await s.command('/etl', 'budget');
      expect(s.text(await s.message('ETL budget: $1.00/hour'))).toContain('$0.00/hour bid by 0 instances');

      await s.command('/etl', 'budget 2.50');
      const card = await s.cardWithButton('run_approve');
      const plan = s.text(card);
      expect(plan).toContain('Increase the ETL budget: $1.00/hour → $2.50/hour');
      expect(plan).toContain('Waiting for approval of *Increase SpotManager budget*');
      expect(plan).toContain('the ES settings are never touched');
      expect(plan).not.toContain(':warning:');
      expect(read(w.host.settingsPath)).toBe(etlBefore);

      await s.click('run_approve', alice, card);
      await s.ephemeral('a second person must approve');
      await s.click('run_approve', bob, card);
      await eventually(
        () => s.threadTexts(card.ts).find((t) => t.includes('budget $1.00/hour → $2.50/hour in')),
        'the step result in the thread',
      );
      expect(read(w.host.settingsPath)).toBe(etlBefore.replace('"budget": 1.00,', '"budget": 2.50,'));
      expect(read(w.host.esSettingsPath)).toBe(esBefore);

      // The next SpotManager run works with the new budget (nothing is cheap enough to buy here, so it
      // says what is left).
      await w.fillQueue('active-data-etl', 30);
      await w.tick();
      expect(read(w.host.logPath)).toContain(
        'Can not fund 3.0 more utility (all utility costs more than $0.01/hour).  Remaining budget is $2.5 ',
      );
    },
  );

  test(
    'a budget below the current exposure is warned about; approved, ' + 'SpotManager terminates instances to fit',
    async () => {
      w = await startEtlWorld();
      await fleetComesUp();
      s = await startEtlStack(w);
      await s.command('/etl', 'budget 0.03');
      const card = await s.cardWithButton('run_approve');
      const plan = s.text(card);
      expect(plan).toContain('Lower the ETL budget: $1.00/hour → $0.03/hour');
      expect(plan).toContain('$0.0528/hour bid by 1 instances and requests (current price $0.048/hour)');
      expect(plan).toContain(
        ':warning: $0.03/hour is below the current exposure of $0.0528/hour: on its next run SpotManager will ' +
          'terminate instances',
      );

      await s.click('run_approve', bob, card);
      await eventually(() => read(w.host.settingsPath).includes('"budget": 0.03,'), 'the new budget in the file');
      await w.tick();
      const log = read(w.host.logPath);
      expect(log).toMatch(/WARNING: Shutdown \['i-[0-9a-f]+'\] to save money!/);
      const fleet = await w.targets.fleet.listEtlInstances();
      expect(fleet.counts.setup + fleet.counts.running).toBe(0);
    },
  );

  test('/spot log: the last lines, error lines marked and repeated on top', async () => {
    w = await startEtlWorld({ settings: { budget: '0.05' } });
    await w.fillQueue('active-data-etl', 30);
    await w.tick();
    s = await startEtlStack(w);
    await s.command('/spot', 'log 20');
    // To the requester alone: log lines can hold secrets.
    const msg = await eventually(
      () =>
        s.view
          .ephemerals(alice.user_id)
          .map((e) => s.view.text(e))
          .find((t) => t.includes('SpotManager log')),
      'the log, to alice',
    );
    expect(s.channelTexts().some((t) => t.includes('SpotManager log'))).toBe(false);
    expect(msg).toContain('*1 error line* (marked ‼ below)');
    expect(msg).toMatch(
      /‼ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d - Can not fund 1\.0 more utility \(all utility costs more than \$0\.03\/hour\)\. {2}Remaining budget is \$0\.02/,
    );
    expect(msg).toMatch(/ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - Get pricing from AWS/);
  });

  test(
    'wrong AWS credentials: the status card says so in its EC2 ' + 'part; the rest still shows; nothing changes',
    async () => {
      w = await startEtlWorld();
      s = await startEtlStack(w, { env: { ...w.env, AWS_SECRET_ACCESS_KEY: 'wrong' } });
      const cron = read(w.host.cronFile);
      await s.command('/etl', 'status');
      const card = s.text(await s.message('ETL instances (EC2)'));
      expect(card).toContain('ETL instances (EC2)*: EC2 DescribeInstances: AWS refused the credentials (AuthFailure');
      expect(card).toContain('Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
      expect(card).toContain(':large_green_circle:');
      expect(read(w.host.cronFile)).toBe(cron);
      expect(w.aws.ec2.calls.filter((c) => !c.action.startsWith('Describe'))).toEqual([]);
    },
  );

  test(
    'an unreachable manager host: status says which host and what to check; a budget change is refused and no ' +
      'run is made',
    async () => {
      w = await startEtlWorld();
      const manager = { ...(w.estate.manager as Record<string, unknown>), port: await freePort() };
      s = await startEtlStack(w, { estate: { manager } });
      await s.command('/etl', 'status');
      const card = s.text(await s.message('ETL instances'));
      expect(card).toMatch(
        /SpotManager\*: cannot reach SpotManager's host: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\): check that the host is up/,
      );
      await s.command('/etl', 'budget 2');
      const text = await s.ephemeral('Cannot read the ETL budget');
      expect(text).toMatch(/cannot reach 127\.0\.0\.1:\d+/);
      expect(text).toContain('Nothing was changed.');
      expect(await s.stack.bot.engine.listRuns()).toEqual([]);
    },
  );

  test(
    'a malformed settings file: the budget change is refused with ' + 'the line, the file is left as it was',
    async () => {
      w = await startEtlWorld();
      const broken = read(w.host.settingsPath).replace('"max_new_utility": 30,', '"max_new_utility": 30');
      writeFileSync(w.host.settingsPath, broken);
      s = await startEtlStack(w);
      await s.command('/etl', 'budget 2');
      const text = await s.ephemeral('Cannot read the ETL budget');
      expect(text).toMatch(/etl_settings\.json on \S+ is not valid JSON \(with \/\/ comments\): line 5, column \d+/);
      expect(await s.stack.bot.engine.listRuns()).toEqual([]);
      expect(read(w.host.settingsPath)).toBe(broken);
      await s.command('/etl', 'status');
      expect(s.text(await s.message('ETL instances'))).toContain(':x: *ETL settings*: ');
    },
  );

  test('usage: a budget must be a number; help lists the commands', async () => {
    w = await startEtlWorld();
    s = await startEtlStack(w);
    await s.command('/etl', 'budget lots');
    expect(await s.ephemeral('dollars-per-hour must be a number')).toContain('/etl budget [&lt;dollars-per-hour&gt;]');
    await s.command('/spot', 'help');
    expect(await s.ephemeral('/spot log')).toContain('error lines highlighted');
  });
});
