import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger } from '../../src/log.js';
import { SIM_DEFAULTS } from '../../src/sim/slack/index.js';
import { alice, bob, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

/** Every line a logger wrote, as text. */
function capture(): { stream: Writable; text(): string; lines(): Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const SIGNING_SECRET = 'signing-secret-under-test-5f0c1e';

describe('logs of a run', () => {
  const start = harnessesClosedAfterEach();

  test('JSON lines carry the run, runbook, step and cluster; no token or secret appears anywhere', async () => {
    const out = capture();
    const h = await start({
      log: createLogger({ level: 'debug', name: 'opsbot-test' }, out.stream),
      signingSecret: SIGNING_SECRET,
    });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(
      () => h.threadTexts(card.ts).some((t) => t.includes('safe to stop')),
      'the drain to finish',
      30_000,
    );
    const [run] = await h.stack.bot.engine.listRuns();

    const lines = out.lines();
    const ofRun = lines.filter((l) => l.run === run!.id);
    expect(ofRun.length).toBeGreaterThan(0);
    expect(ofRun.find((l) => l.msg === 'run step_done' && l.step === 'wait-for-empty')).toMatchObject({
      runbook: 'es.drain',
      cluster: 'local',
    });
    expect(ofRun.find((l) => l.msg === 'run succeeded')).toBeDefined();

    const text = out.text();
    expect(text).not.toContain(SIM_DEFAULTS.botToken);
    expect(text).not.toContain(SIGNING_SECRET);
    expect(text).not.toMatch(/xox[abp]-/);
  });

  test('secrets in logged objects are redacted by configuration, in JSON and in the pretty (local) format', () => {
    for (const pretty of [false, true]) {
      const out = capture();
      const log = createLogger({ level: 'info', pretty }, out.stream);
      log.child({ run: 'r-1' }).info(
        {
          botToken: 'xoxb-1-secret',
          slack: { signingSecret: SIGNING_SECRET, token: 'xoxb-2-secret' },
          request: { headers: { authorization: 'Bearer xoxb-3-secret' } },
          es: { apiKey: 'es-key-secret', password: 'pw-secret' },
        },
        'client options',
      );
      const text = out.text();
      expect(text).toContain('r-1');
      expect(text).toContain('[redacted]');
      expect(text).not.toMatch(/secret/);
    }
  });
});
