import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { pushUpstream } from '../../src/sim/spotmanager/index.js';
import { RemoteText, SpotManager, SpotManagerError } from '../../src/targets/spotmanager/index.js';
import { SshError, SshHost } from '../../src/targets/ssh/index.js';
import { freePort } from '../../src/sim/services/free-port.js';
import { startEtlWorld, type EtlWorld } from './etl-fixture.js';

describe('SpotManager adapter over SSH (the test sshd as the manager host)', () => {
  let w: EtlWorld;
  afterEach(async () => {
    await w?.close();
  });
  const read = (p: string) => readFileSync(p, 'utf8');

  test(
    'stop and start touch only the ETL cron line, are idempotent, ' + 'and a stopped SpotManager does not run',
    async () => {
      w = await startEtlWorld();
      const sm = w.targets.spotManager();
      const original = read(w.host.cronFile);
      expect(await sm.isEnabled()).toBe(true);

      const off = await sm.disable();
      expect(off).toMatchObject({ changed: true, enabled: false });
      const stopped = read(w.host.cronFile);
      expect(stopped.split('\n').filter((l) => !l.includes('run_etl.sh'))).toEqual(
        original.split('\n').filter((l) => !l.includes('run_etl.sh')),
      );
      expect(await sm.disable()).toMatchObject({ changed: false, enabled: false });
      expect(read(w.host.cronFile)).toBe(stopped);

      const tick = await w.tick();
      expect(tick.stdout).toContain('run_es.sh');
      expect(tick.stdout).not.toContain('run_etl.sh');
      expect(() => read(w.host.logPath)).toThrow(/ENOENT/);

      expect(await sm.enable(off.disabled)).toMatchObject({ changed: true, enabled: true });
      expect(await sm.enable(off.disabled)).toMatchObject({ changed: false, enabled: true });
      expect(read(w.host.cronFile)).toBe(original);
      await w.tick();
      expect(read(w.host.logPath)).toContain('Get pricing from AWS');
    },
  );

  test(
    'the budget edit keeps every comment and byte of the ETL file except the number, and never touches the ES ' +
      'file',
    async () => {
      w = await startEtlWorld();
      const sm = w.targets.spotManager();
      const etlBefore = read(w.host.settingsPath);
      const esBefore = read(w.host.esSettingsPath);
      expect((await sm.readSettings()).budget).toBe(1);

      expect(await sm.setBudget(2.5, { expect: 1 })).toMatchObject({
        before: 1,
        after: 2.5,
        changed: true,
        path: w.host.settingsPath,
      });
      expect(read(w.host.settingsPath)).toBe(etlBefore.replace('"budget": 1.00,', '"budget": 2.50,'));
      expect(read(w.host.esSettingsPath)).toBe(esBefore);
      // Asked again (a retried step): nothing written.
      expect(await sm.setBudget(2.5, { expect: 1 })).toMatchObject({ changed: false });
    },
  );

  test(
    'a budget that changed since the plan, a malformed file, or a concurrent editor: clear message, nothing ' +
      'written',
    async () => {
      w = await startEtlWorld();
      const sm = w.targets.spotManager();
      await expect(sm.setBudget(3, { expect: 0.5 })).rejects.toThrow(
        /now \$1\/hour, not \$0.5\/hour as planned; nothing was written/,
      );

      const broken = read(w.host.settingsPath).replace('"max_new_utility": 30,', '"max_new_utility": 30 oops');
      writeFileSync(w.host.settingsPath, broken);
      const err = await sm.setBudget(3).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpotManagerError);
      expect((err as SpotManagerError).kind).toBe('settings');
      expect((err as Error).message).toMatch(
        /etl_settings.json on .* is not valid JSON \(with \/\/ comments\): line 4, column \d+/,
      );
      expect((err as Error).message).toContain('nothing was changed');
      expect(read(w.host.settingsPath)).toBe(broken);
      await expect(sm.readSettings()).rejects.toThrow(/not valid JSON/);

      // Someone edits the file between the bot's read and its write: the write is refused.
      const files = new RemoteText(w.ssh);
      const seen = await files.read(w.host.cronFile);
      writeFileSync(w.host.cronFile, `${seen.text}# an operator's edit\n`);
      await expect(files.replace(w.host.cronFile, 'replaced', seen.sha)).rejects.toThrow(
        /changed while the bot was editing it; nothing was written/,
      );
      expect(read(w.host.cronFile)).toBe(`${seen.text}# an operator's edit\n`);
    },
  );

  test('the settings file and the ES settings file may not be the same file', () => {
    const ssh = new SshHost({
      host: '127.0.0.1',
      port: 1,
      user: 'x',
      privateKeyPath: '/nonexistent',
      knownHostsPath: '/nonexistent',
    });
    expect(
      () =>
        new SpotManager(ssh, {
          dir: 'SpotManager',
          settingsFile: 'examples/config/es_settings.json',
          esSettingsFile: './examples/config/es_settings.json',
          logFile: 'l',
          branch: 'beta',
          cronMarkers: ['run_etl.sh'],
        }),
    ).toThrow(/never edits the ES settings/);
  });

  test('an unreachable manager host is an SshError naming the host; nothing else happens', async () => {
    w = await startEtlWorld();
    const { sshd } = { sshd: w.estate.manager as { host: string; user: string; knownHosts: string } };
    const ssh = new SshHost({
      host: sshd.host,
      port: await freePort(),
      user: sshd.user,
      privateKeyPath: String(w.env.SSH_PRIVATE_KEY_PATH),
      knownHostsPath: sshd.knownHosts,
      connectTimeoutMs: 2_000,
    });
    const sm = new SpotManager(ssh, { ...w.targets.config.spotManager });
    const before = read(w.host.cronFile);
    const err = await sm.disable().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshError);
    expect((err as Error).message).toMatch(/cannot reach 127.0.0.1:\d+ .*check that the host is up/);
    expect(read(w.host.cronFile)).toBe(before);
  });

  test('no ETL line in the crontab is said, not guessed', async () => {
    w = await startEtlWorld({ spotManager: { cronMarkers: ['run_etl_v2.sh'] } });
    await expect(w.targets.spotManager().disable()).rejects.toThrow(
      /no ETL SpotManager line in .*crontab .*looked for run_etl_v2.sh/,
    );
  });

  test('pull brings the new commit and keeps a local budget edit (no conflict left behind)', async () => {
    w = await startEtlWorld({ git: true });
    const sm = w.targets.spotManager();
    await sm.setBudget(4);
    const upstream = read(w.host.settingsPath)
      .replace('"budget": 4.00,', '"budget": 1.00,')
      .replace('"max_new_utility": 30,', '"max_new_utility": 40,');
    const commit = pushUpstream(w.host, 'examples/config/etl_settings.json', upstream, 'more new utility per run');
    const pulled = await sm.pull();
    expect(pulled.after).toBe(commit);
    expect(pulled.before).not.toBe(commit);
    expect(pulled.budgetKept).toBe(4);
    const now = read(w.host.settingsPath);
    expect(now).toContain('"max_new_utility": 40,');
    expect(now).toContain('"budget": 4.00,');
    const status = await w.ssh.run(['git', '-C', w.host.dir, 'status', '--porcelain']);
    expect(status.stdout.trim()).toBe('M examples/config/etl_settings.json');
  });

  test(
    'the log read by position: every line written since, however many, each once; a line being written waits; ' +
      'a rotated log is read from its start',
    async () => {
      w = await startEtlWorld();
      const sm = w.targets.spotManager();
      const path = w.host.logPath;
      const line = (n: number) => `2016-01-12 23:00:00 - line ${n}`;
      expect(await sm.readLogFrom(undefined)).toEqual({ lines: [], restarted: false });
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${line(0)}\n${line(1)}\n`);
      // The first look: the end of the log, from its first whole line.
      const first = await sm.readLogFrom(undefined, 30);
      expect(first.lines).toEqual([line(1)]);
      // 5,000 lines (far more than any tail) and half a line: all of the whole ones, none twice.
      appendFileSync(
        path,
        `${Array.from({ length: 5000 }, (_, i) => line(i + 2)).join('\n')}\n2016-01-12 23:00:01 - hal`,
      );
      const seen: string[] = [];
      let at = first.position;
      for (let i = 0; i < 10; i++) {
        const r = await sm.readLogFrom(at, 64 * 1024);
        seen.push(...r.lines);
        at = r.position;
        if (!r.lines.length) break;
      }
      expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => line(i + 2)));
      appendFileSync(path, 'f written\n');
      expect((await sm.readLogFrom(at)).lines).toEqual(['2016-01-12 23:00:01 - half written']);
      // Rotated: the old file moved away, a new one started.
      renameSync(path, `${path}.1`);
      writeFileSync(path, `${line(9000)}\n`);
      expect(await sm.readLogFrom(at)).toMatchObject({
        lines: [line(9000)],
        restarted: true,
      });
    },
  );

  test('the log of real stand-in runs reads back as events', async () => {
    w = await startEtlWorld();
    await w.fillQueue('active-data-etl', 30);
    await w.tick();
    const { events } = await w.targets.spotManager().readLog(50);
    expect(events.map((e) => e.kind)).toEqual([
      'pricing',
      'pricing-processed',
      'exposure',
      'utility',
      'request',
      'other',
      'waiting',
    ]);
    expect(events.find((e) => e.kind === 'utility')).toMatchObject({ running: 0, needed: 3 });
    expect(events.find((e) => e.kind === 'request')).toMatchObject({
      count: 1,
      instanceType: 'c4.xlarge',
      zone: 'us-west-2c',
      utility: 4,
      price: 0.0528,
    });
    expect(join(w.host.dir, 'examples/logs/examples_etl.log')).toBe(w.host.logPath);
  });
});
