import { describe, expect, test } from 'vitest';
import { describeError, isRetryable, RetryableError } from '../../src/engine/errors.js';

const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('isRetryable', () => {
  test.each([
    ['our RetryableError', new RetryableError('later')],
    ['ECONNREFUSED', withCode('ECONNREFUSED')],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['HTTP 429', Object.assign(new Error('too many'), { statusCode: 429 })],
    [
      'ES ResponseError 503 (meta.statusCode)',
      Object.assign(new Error('unavailable'), { name: 'ResponseError', meta: { statusCode: 503 } }),
    ],
    [
      'ES ResponseError 502',
      Object.assign(new Error('bad gateway'), { name: 'ResponseError', meta: { statusCode: 502 } }),
    ],
    [
      'ES ResponseError 504',
      Object.assign(new Error('gateway timeout'), { name: 'ResponseError', meta: { statusCode: 504 } }),
    ],
    ['ES ConnectionError', Object.assign(new Error('socket hang up'), { name: 'ConnectionError' })],
    ['ES TimeoutError', Object.assign(new Error('Request timed out'), { name: 'TimeoutError' })],
    ['fetch failed, caused by ECONNREFUSED', new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') })],
    [
      'AggregateError of socket errors',
      Object.assign(new AggregateError([withCode('ECONNREFUSED')], 'all failed'), {}),
    ],
  ])('%s is retryable', (_name, err) => {
    expect(isRetryable(err)).toBe(true);
  });

  test.each([
    ['a plain Error', new Error('x is undefined')],
    ['ES 400', Object.assign(new Error('bad request'), { name: 'ResponseError', meta: { statusCode: 400 } })],
    ['ES 404', Object.assign(new Error('no such index'), { meta: { statusCode: 404 } })],
    ['HTTP 500', Object.assign(new Error('boom'), { statusCode: 500 })],
    ['a string', 'nope'],
    ['undefined', undefined],
    ['ENOENT', withCode('ENOENT')],
  ])('%s is not retryable', (_name, err) => {
    expect(isRetryable(err)).toBe(false);
  });
});

describe('describeError', () => {
  test('adds a code the message lacks, once', () => {
    expect(describeError(Object.assign(new Error('socket closed'), { code: 'ECONNRESET' }))).toBe(
      'socket closed (ECONNRESET)',
    );
    expect(describeError(withCode('ECONNREFUSED'))).toBe('connect ECONNREFUSED');
    expect(describeError('plain')).toBe('plain');
    expect(describeError({ a: 1 })).toBe('{"a":1}');
  });
});
