import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startLocalStack, type LocalStack } from '../../src/main/local-stack.js';
import { freePort } from '../../src/sim/services/free-port.js';
import { ChannelView } from '../../src/sim/slack/index.js';
import { eventually } from '../support/wait.js';

const PASSWORD = 's3cr3t-Pass';
// Shapes only, made up for this test: a Slack bot token, an app token, an AWS key pair.
const BOT_TOKEN = ['xoxb', '1234567890', '0987654321', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
const APP_TOKEN = ['xapp', '1', 'A0123456789', '1234567890123', 'abcdef0123456789'].join('-');
const AWS_KEY_ID = `AKIA${'IOSFODNN7EXAMPLE'}`;
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const COMMIT = '2821b87aa9f0c1d4e5b6a7980c1d2e3f4a5b6c7d';

/** A logger whose JSON lines are collected, as they would be written to stdout. */
function collectingLogger() {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'info' }, out), lines };
}

describe('no credentials in what is logged', () => {
  test("an error object's message, stack, cause and metadata are scrubbed of URL credentials and tokens", () => {
    const { log, lines } = collectingLogger();
    const cause = new Error(`AWS refused ${AWS_KEY_ID} / ${AWS_SECRET}`);
    const err = Object.assign(
      new Error(`cannot reach https://elastic:${PASSWORD}@es.internal:9200 with ${BOT_TOKEN}`, { cause }),
      { meta: { url: `https://elastic:${PASSWORD}@es.internal:9200/_cluster/health`, app: APP_TOKEN } },
    );
    log.error({ err, commit: COMMIT }, `request failed: ${APP_TOKEN}`);
    log.warn({ err: `${err.message}` }, 'as a string');
    const text = lines.join('\n');
    for (const secret of [PASSWORD, BOT_TOKEN, APP_TOKEN, AWS_KEY_ID, AWS_SECRET]) expect(text).not.toContain(secret);
    const first = JSON.parse(lines[0]!) as {
      msg: string;
      commit: string;
      err: { message: string; stack: string; meta: { url: string }; cause?: { message: string } };
    };
    // What helps the reader stays: the host, the error's words, a commit id.
    // pino's serializer appends the causes' messages.
    expect(first.err.message).toBe(
      'cannot reach https://es.internal:9200 with [redacted]: AWS refused [redacted] / [redacted]',
    );
    expect(first.err.stack).toContain('cannot reach https://es.internal:9200');
    expect(first.err.meta.url).toBe('https://es.internal:9200/_cluster/health');
    expect(first.msg).toBe('request failed: [redacted]');
    expect(first.commit).toBe(COMMIT);
  });
});

describe('no credentials in errors posted to Slack', () => {
  let stack: LocalStack;
  let host: string;

  beforeAll(async () => {
    host = `127.0.0.1:${await freePort()}`;
    // A cluster URL with user and password in it, on a port nobody listens on.
    stack = await startLocalStack({
      redisUrl: inject('redisUrl'),
      prefix: `redaction-${process.pid}`,
      tickMs: 0,
      estate: { clusters: { dead: { url: `http://elastic:${PASSWORD}@${host}`, requestTimeoutMs: 2000 } } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('an unreachable cluster is named by its URL without the userinfo', async () => {
    await stack.driver.command('/es', 'status --cluster dead', {
      user_id: 'U0ALICE',
      user_name: 'alice',
      channel_id: 'C0OPS',
    });
    const view = new ChannelView(stack.slack, 'C0OPS');
    const shown = await eventually(() => view.ephemerals('U0ALICE')[0], 'the problem message');
    expect(JSON.stringify(shown)).not.toContain(PASSWORD);
    expect(view.text(shown)).toContain(`cluster dead (http://${host}) is unreachable`);
  });
});
