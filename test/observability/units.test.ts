import { describe, expect, test } from 'vitest';
import type { Run, RunEvent, RunReporter } from '../../src/engine/types.js';
import { TeeReporter, esEndpointOf, slackMethodOf } from '../../src/observability/index.js';

describe('label values stay a short, known list', () => {
  test('ES endpoints: node and index names never become labels', () => {
    expect(esEndpointOf('/_cat/allocation/node-3')).toBe('_cat/allocation');
    expect(esEndpointOf('/_cluster/health')).toBe('_cluster/health');
    expect(esEndpointOf('/_cluster/allocation/explain')).toBe('_cluster/allocation');
    expect(esEndpointOf('/_cat/recovery?active_only=true')).toBe('_cat/recovery');
    expect(esEndpointOf('/_nodes/node-3,node-4/stats')).toBe('_nodes');
    expect(esEndpointOf('/unittest20160101_000000/_settings')).toBe('{index}/_settings');
    expect(esEndpointOf('/jobs')).toBe('{index}');
    expect(esEndpointOf('/')).toBe('/');
  });

  test('Slack methods from request URLs', () => {
    expect(slackMethodOf('https://slack.com/api/chat.postMessage')).toBe('chat.postMessage');
    expect(slackMethodOf('http://127.0.0.1:4000/api/usergroups.users.list')).toBe('usergroups.users.list');
    expect(slackMethodOf('https://files.slack.com/upload/v1/ABC123')).toBe('other');
  });
});

describe('TeeReporter', () => {
  const run = { id: 'r-1', runbook: 'toy' } as Run;
  const event: RunEvent = { type: 'created' };

  test('every reporter sees the event even when an earlier one throws; the first error is rethrown', async () => {
    const seen: string[] = [];
    const failing: RunReporter = {
      onEvent: () => {
        seen.push('slack');
        return Promise.reject(new Error('slack down'));
      },
    };
    const counting: RunReporter = {
      onEvent: () => {
        seen.push('metrics');
        return Promise.resolve();
      },
    };
    await expect(new TeeReporter([failing, counting]).onEvent(run, event)).rejects.toThrow('slack down');
    expect(seen).toEqual(['slack', 'metrics']);
  });

  test('in order, one after the other: the Slack reporter has posted the card before metrics run', async () => {
    const seen: string[] = [];
    const slow: RunReporter = {
      onEvent: async () => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push('slack');
      },
    };
    const fast: RunReporter = {
      onEvent: () => {
        seen.push('metrics');
        return Promise.resolve();
      },
    };
    await new TeeReporter([slow, fast]).onEvent(run, event);
    expect(seen).toEqual(['slack', 'metrics']);
  });
});
