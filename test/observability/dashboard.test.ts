import { describe, expect, test } from 'vitest';
import { alice, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const TOKEN = 'dashboard-token-for-tests-0123456789';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The dashboard as the web process mounts it: on Bolt's HTTP receiver (customRoutes). */
describe('queue dashboard at /admin/queues', () => {
  const start = harnessesClosedAfterEach();

  test('refuses a request without the token (401, with a basic-auth challenge) or with a wrong one', async () => {
    const h = await start({ dashboard: { token: TOKEN } });
    const bare = await fetch(`${h.stack.opsUrl}/admin/queues`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(await bare.text()).not.toContain(TOKEN);
    for (const authorization of [
      'Bearer wrong-token',
      basic('ops', 'wrong'),
      `Bearer ${TOKEN}x`,
      'Bearer ',
      basic('', ''),
    ]) {
      expect((await fetch(`${h.stack.opsUrl}/admin/queues`, { headers: { authorization } })).status).toBe(401);
    }
    expect((await fetch(`${h.stack.opsUrl}/admin/queues/api/queues`)).status).toBe(401);
  });

  test('serves the board and the queue API with the token, as bearer or as the basic-auth password', async () => {
    const h = await start({ dashboard: { token: TOKEN } });
    const page = await fetch(`${h.stack.opsUrl}/admin/queues`, { headers: { authorization: basic('ops', TOKEN) } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    // The board's own scripts load from under the mount point, with the same credentials.
    expect(html).toContain('<base href="/admin/queues/" />');
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(
      (await fetch(`${h.stack.opsUrl}/admin/queues/${script}`, { headers: { authorization: basic('ops', TOKEN) } }))
        .status,
    ).toBe(200);

    await h.driver.command('/es', 'drain node-3', alice);
    await h.cardWithButton('run_approve');
    const [run] = await h.stack.bot.engine.listRuns();
    type Queues = { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };
    // The run's job, parked (delayed) while it waits for approval, is listed under its run id.
    const body = await eventually(async () => {
      const api = await fetch(`${h.stack.opsUrl}/admin/queues/api/queues?activeQueue=runs&status=delayed`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(api.status).toBe(200);
      const json = (await api.json()) as Queues;
      // The job is listed as soon as it exists; it is parked (delayed) a moment later.
      const parked = json.queues.find((q) => q.name === 'runs')?.counts.delayed === 1;
      return JSON.stringify(json).includes(run!.id) && parked ? json : undefined;
    }, "the run's job in the dashboard");
    const queue = body.queues.find((q) => q.name === 'runs');
    expect(queue?.readOnlyMode).toBe(true);
    expect(queue?.counts.delayed).toBe(1);
  });

  test('read-only by default: changes are refused; OPSBOT_DASHBOARD_READONLY=false lets them through', async () => {
    const h = await start({ dashboard: { token: TOKEN } });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(
      (await fetch(`${h.stack.opsUrl}/admin/queues/api/queues/runs/pause`, { method: 'PUT', headers: auth })).status,
    ).toBe(405);
    expect(await h.stack.bot.engine.queue.isPaused()).toBe(false);

    const writable = await start({ dashboard: { token: TOKEN, readOnly: false } });
    const paused = await fetch(`${writable.stack.opsUrl}/admin/queues/api/queues/runs/pause`, {
      method: 'PUT',
      headers: auth,
    });
    expect(paused.status).toBe(200);
    expect(await writable.stack.bot.engine.queue.isPaused()).toBe(true);
  });

  test('no token configured: no dashboard (404), while /healthz and /metrics answer on the same receiver', async () => {
    const h = await start();
    expect(
      (await fetch(`${h.stack.opsUrl}/admin/queues`, { headers: { authorization: 'Bearer anything' } })).status,
    ).toBe(404);
    expect((await fetch(`${h.stack.opsUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.stack.opsUrl}/livez`)).status).toBe(200);
    expect((await fetch(`${h.stack.opsUrl}/metrics`)).status).toBe(200);
  });
});
