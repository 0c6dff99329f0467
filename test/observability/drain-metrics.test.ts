import { describe, expect, test } from 'vitest';
import { alice, bob, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';
import { scrape, total } from './prometheus-text.js';

describe('/metrics over a drain', () => {
  const start = harnessesClosedAfterEach();

  test("counts the drain's steps and approvals, the pending approval while it waits, Slack and ES calls", async () => {
    const h = await start();
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');

    // Waiting for approval: the gauges read from Redis show it, and the job is parked (delayed).
    // The worker parks the job as soon as it sees the run waits: then it is a delayed job.
    let m = await eventually(async () => {
      const now = await scrape(h.stack.opsUrl);
      return total(now, 'opsbot_queue_jobs', { state: 'delayed' }) === 1 ? now : undefined;
    }, 'the parked job');
    expect(total(m, 'opsbot_approvals_pending', { runbook: 'es.drain' })).toBe(1);
    expect(total(m, 'opsbot_runs_active', { runbook: 'es.drain', state: 'awaiting_approval' })).toBe(1);
    expect(total(m, 'opsbot_approval_pending_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(
      total(m, 'opsbot_queue_jobs', { state: 'active' }) + total(m, 'opsbot_queue_jobs', { state: 'waiting' }),
    ).toBe(0);
    expect(total(m, 'opsbot_approvals_total', { runbook: 'es.drain', decision: 'requested' })).toBe(1);

    await h.click('run_approve', alice, card); // the requester: refused
    await h.click('run_approve', bob, card);
    await eventually(
      () => h.threadTexts(card.ts).some((t) => t.includes('safe to stop')),
      'the drain to finish',
      30_000,
    );
    await eventually(async () => (await h.stack.bot.engine.activeRuns()).length === 0, 'the run to settle');

    m = await scrape(h.stack.opsUrl);
    expect(total(m, 'opsbot_runs_total', { runbook: 'es.drain', state: 'created' })).toBe(1);
    expect(total(m, 'opsbot_runs_total', { runbook: 'es.drain', state: 'succeeded' })).toBe(1);
    expect(total(m, 'opsbot_approvals_total', { runbook: 'es.drain', decision: 'approved' })).toBe(1);
    expect(total(m, 'opsbot_approvals_total', { runbook: 'es.drain', decision: 'refused' })).toBe(1);
    for (const step of ['move-shards-off', 'wait-for-empty']) {
      expect(total(m, 'opsbot_steps_total', { runbook: 'es.drain', step, outcome: 'done' })).toBe(1);
      expect(total(m, 'opsbot_step_duration_seconds_count', { runbook: 'es.drain', step, outcome: 'done' })).toBe(1);
    }
    expect(total(m, 'opsbot_steps_total')).toBe(2);
    expect(total(m, 'opsbot_approvals_pending')).toBe(0);
    expect(total(m, 'opsbot_runs_active')).toBe(0);

    // Slack calls by method (the card was posted once and updated), ES polls by endpoint.
    expect(total(m, 'opsbot_slack_api_requests_total', { method: 'chat.postMessage', status: '200' })).toBeGreaterThan(
      0,
    );
    expect(total(m, 'opsbot_slack_api_requests_total', { method: 'chat.update', status: '200' })).toBeGreaterThan(0);
    expect(
      total(m, 'opsbot_es_request_duration_seconds_count', {
        cluster: 'local',
        endpoint: '_cat/allocation',
        outcome: 'ok',
      }),
    ).toBeGreaterThan(0);
    expect(
      total(m, 'opsbot_es_request_duration_seconds_count', { cluster: 'local', endpoint: '_cluster/settings' }),
    ).toBeGreaterThan(0);

    // The process's own: memory and event-loop lag (prom-client's defaults).
    expect(total(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  test('a 429 from Slack is counted by method, and ES errors by endpoint and status', async () => {
    const h = await start();
    h.stack.slack.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
    await h.driver.command('/es', 'drain node-3', alice);
    await h.cardWithButton('run_approve');
    await h.stack.bot.clusters
      .get()
      .client.indices.get({ index: 'no-such-index' })
      .catch(() => undefined);
    const m = await scrape(h.stack.opsUrl);
    expect(total(m, 'opsbot_slack_rate_limited_total', { method: 'chat.postMessage' })).toBe(1);
    expect(total(m, 'opsbot_slack_api_requests_total', { method: 'chat.postMessage', status: '429' })).toBe(1);
    expect(total(m, 'opsbot_es_request_errors_total', { cluster: 'local', endpoint: '{index}', kind: '404' })).toBe(1);
  });
});
