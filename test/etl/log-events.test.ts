import { describe, expect, test } from 'vitest';
import { isTrouble, lastRun, parseLine, parseLog } from '../../src/targets/spotmanager/index.js';

const at = '2016-01-12 23:11:21';
const line = (msg: string) => `${at} - ${msg}`;

describe('SpotManager log lines (FACTS.md) → events with their numbers', () => {
  test.each([
    ['Get pricing from AWS', { kind: 'pricing' }],
    ['Timer start: processing pricing data', { kind: 'pricing-processed' }],
    ['Total Exposure: $1.1234/hour (current price: $0.54/hour)', { kind: 'exposure', exposure: 1.1234, current: 0.54 }],
    ['have 12 utility running; need 30 more utility', { kind: 'utility', running: 12, needed: 30 }],
    ['have 4 utility running; need -3 more utility', { kind: 'utility', running: 4, needed: -3 }],
    [
      'Request 1 instance c4.xlarge in us-west-2c with utility 4 at $0.0528/hour',
      { kind: 'request', count: 1, instanceType: 'c4.xlarge', zone: 'us-west-2c', utility: 4, price: 0.0528 },
    ],
    [
      "waiting for spot requests: [u'sir-02ak7m4n', u'sir-0c3f9a1b']",
      { kind: 'waiting', requests: ['sir-02ak7m4n', 'sir-0c3f9a1b'] },
    ],
    ['setup i-0a1b2c3d', { kind: 'setup', instance: 'i-0a1b2c3d' }],
    ['No more pending spot requests', { kind: 'no-pending' }],
    [
      'Can not fund 18.0 more utility (all utility costs more than $0.02/hour).  Remaining budget is $0.05 ',
      { kind: 'cannot-fund', utility: 18, maxPrice: 0.02, remainingBudget: 0.05 },
    ],
    [
      'WARNING: Problem with setup of i-0a1b2c3d.  Time is up.  Instance TERMINATED!',
      { kind: 'setup-timeout', instance: 'i-0a1b2c3d', level: 'warning' },
    ],
    [
      'WARNING: Request instance r3.xlarge failed because Max spot instance count exceeded',
      {
        kind: 'request-failed',
        instanceType: 'r3.xlarge',
        reason: 'Max spot instance count exceeded',
        level: 'warning',
      },
    ],
    ['WARNING: Unexpected failure on startup', { kind: 'startup-failure', level: 'warning' }],
    ['Another instance is already running, quitting.', { kind: 'already-running' }],
    [
      "WARNING: Shutdown ['i-1', 'i-2'] to save money!",
      { kind: 'shutdown', instances: ['i-1', 'i-2'], toSaveMoney: true },
    ],
    [
      'All requests for new utility have been made',
      { kind: 'other', message: 'All requests for new utility have been made' },
    ],
  ])('%s', (message, expected) => {
    const e = parseLine(line(message));
    expect(e).toMatchObject({ ...expected, at: Date.parse('2016-01-12T23:11:21Z') });
  });

  test(
    'trouble: Can not fund, Time is up, failed requests, startup failures and any warning; not the comes-up ' + 'lines',
    () => {
      const trouble = (m: string) => isTrouble(parseLine(line(m))!);
      expect(
        trouble('Can not fund 3 more utility (all utility costs more than $0.02/hour).  Remaining budget is $0.0'),
      ).toBe(true);
      expect(trouble('WARNING: something else')).toBe(true);
      expect(trouble('Total Exposure: $0.5/hour (current price: $0.4/hour)')).toBe(false);
      expect(trouble('setup i-1')).toBe(false);
    },
  );

  test('unstamped lines join the event before them; blank lines are skipped', () => {
    const events = parseLog([
      line('WARNING: Unexpected failure on startup'),
      '\tcaused by',
      '\t\tSSHException: timed out',
      '',
      line('setup i-9'),
    ]);
    expect(events.map((e) => e.kind)).toEqual(['startup-failure', 'setup']);
    expect(events[0]!.detail).toEqual(['\tcaused by', '\t\tSSHException: timed out']);
  });

  test('last run: from its last "Get pricing from AWS", with its numbers and trouble', () => {
    const run = lastRun(
      parseLog([
        '2016-01-12 23:00:01 - Get pricing from AWS',
        '2016-01-12 23:00:02 - Total Exposure: $0.9/hour (current price: $0.8/hour)',
        '2016-01-12 23:10:01 - Get pricing from AWS',
        '2016-01-12 23:10:02 - processing pricing data',
        '2016-01-12 23:10:03 - Total Exposure: $0.5/hour (current price: $0.4/hour)',
        '2016-01-12 23:10:03 - have 4 utility running; need 8 more utility',
        '2016-01-12 23:10:04 - Request 1 instance c4.xlarge in us-west-2c with utility 4 at $0.05/hour',
        '2016-01-12 23:10:04 - Can not fund 4.0 more utility (all utility costs more than $0.03/hour).  ' +
          'Remaining budget is $0.0',
        '2016-01-12 23:10:05 - setup i-77',
      ]),
    )!;
    expect(run).toMatchObject({
      startedAt: Date.parse('2016-01-12T23:10:01Z'),
      exposure: 0.5,
      currentPrice: 0.4,
      utilityRunning: 4,
      utilityNeeded: 8,
      requested: 1,
      setups: ['i-77'],
      settled: false,
      skipped: false,
    });
    expect(run.trouble.map((e) => e.kind)).toEqual(['cannot-fund']);
  });

  test('a lone "already running" is a skipped run', () => {
    expect(lastRun(parseLog([line('Another instance is already running, quitting.')]))).toMatchObject({
      skipped: true,
      requested: 0,
    });
    expect(lastRun([])).toBeUndefined();
  });
});
