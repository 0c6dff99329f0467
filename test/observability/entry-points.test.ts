import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '../../src/sim/services/free-port.js';
import { SIM_DEFAULTS, startFakeSlack, type FakeSlack } from '../../src/sim/slack/index.js';
import { eventually } from '../support/wait.js';
import { parsePrometheus, total } from './prometheus-text.js';

/**
 * The production entry points, as the Procfile starts them (through tsx instead of a build): each
 * serves its ops endpoints where the README says, and exits 0 on SIGTERM.
 */
describe('web and worker processes serve their ops endpoints', () => {
  let slack: FakeSlack;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), 'opsbot-entry-'));
    writeFileSync(
      join(dir, 'opsbot.yaml'),
      'defaultCluster: local\nclusters:\n  local:\n    url: http://127.0.0.1:9\napprovers:\n  users: [U0BOB]\n',
    );
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function start(entry: 'web' | 'worker', env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/main/${entry}.ts`], {
      env: {
        PATH: process.env.PATH,
        OPSBOT_CONFIG: join(dir, 'opsbot.yaml'),
        REDIS_URL: inject('redisUrl'),
        // The tests' shared Redis has AOF off (throwaway): the start-up check is tested in test/main.
        OPSBOT_REDIS_UNSAFE_OK: '1',
        OPSBOT_PREFIX: `entry-${process.pid}-${entry}`,
        SLACK_BOT_TOKEN: SIM_DEFAULTS.botToken,
        SLACK_SIGNING_SECRET: 'entry-point-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  }
  const exited = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
  const ready = (url: string) =>
    eventually(async () => (await fetch(`${url}/readyz`)).status === 200, `${url}/readyz`, 20_000);

  test('worker: its own listener on OPSBOT_HTTP_PORT; SIGTERM exits 0', async () => {
    const port = await freePort();
    const worker = start('worker', { OPSBOT_HTTP_PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await ready(url);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    const metrics = parsePrometheus(await (await fetch(`${url}/metrics`)).text());
    expect(total(metrics, 'process_resident_memory_bytes', { process: 'worker' })).toBeGreaterThan(0);
    expect((await fetch(`${url}/admin/queues`)).status).toBe(404); // the dashboard lives on the web process
    worker.kill('SIGTERM');
    expect(await exited(worker)).toBe(0);
  });

  test('web in HTTP mode: ops endpoints beside /slack/events; the dashboard behind its token', async () => {
    const port = await freePort();
    const token = 'entry-point-dashboard-token';
    const web = start('web', { PORT: String(port), OPSBOT_DASHBOARD_TOKEN: token });
    const url = `http://127.0.0.1:${port}`;
    await ready(url);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const metrics = parsePrometheus(await (await fetch(`${url}/metrics`)).text());
    expect(total(metrics, 'opsbot_slack_api_requests_total', { process: 'web', method: 'auth.test' })).toBeGreaterThan(
      0,
    );
    expect((await fetch(`${url}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${url}/admin/queues`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    web.kill('SIGTERM');
    expect(await exited(web)).toBe(0);
  });
});
