import { describe, expect, test } from 'vitest';
import {
  allocationFilters,
  compareSettings,
  filterReasons,
  simpleMatch,
} from '../../src/targets/elasticsearch/index.js';

const node = { id: 'a1', name: 'node-3', ip: '172.31.0.39', host: '172.31.0.39', attributes: { zone: 'spot' } };

describe('transient-over-persistent detection', () => {
  test('a transient value that differs from the persistent one is an override', () => {
    const rows = compareSettings({
      persistent: {
        'cluster.routing.allocation.exclude._ip': '172.31.0.39',
        'cluster.routing.allocation.enable': 'all',
      },
      transient: { 'cluster.routing.allocation.exclude._ip': '', 'cluster.routing.allocation.enable': 'all' },
    });
    expect(rows).toEqual([
      {
        key: 'cluster.routing.allocation.enable',
        persistent: 'all',
        transient: 'all',
        effective: 'all',
        overridden: false,
      },
      {
        key: 'cluster.routing.allocation.exclude._ip',
        persistent: '172.31.0.39',
        transient: '',
        effective: '',
        overridden: true,
      },
    ]);
  });

  test('no override when only one side is set, and unrelated settings are not shown', () => {
    const rows = compareSettings({
      persistent: { 'cluster.routing.allocation.enable': 'all', 'action.auto_create_index': 'false' },
      transient: { 'cluster.routing.allocation.exclude.zone': 'spot' },
    });
    expect(rows.map((r) => [r.key, r.overridden])).toEqual([
      ['cluster.routing.allocation.enable', false],
      ['cluster.routing.allocation.exclude.zone', false],
    ]);
  });
});

describe('allocation filters', () => {
  test('exclude by ip list, name and attribute; transient wins', () => {
    const f = allocationFilters({
      persistent: {
        'cluster.routing.allocation.exclude._ip': '10.0.0.1, 172.31.0.39',
        'cluster.routing.allocation.exclude.zone': 'primary',
      },
      transient: { 'cluster.routing.allocation.exclude.zone': 'spot' },
    });
    expect(filterReasons(node, f)).toEqual(['exclude._ip:172.31.0.39', 'exclude.zone:spot']);
  });

  test('an empty transient exclusion clears the persistent one', () => {
    const f = allocationFilters({
      persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' },
      transient: { 'cluster.routing.allocation.exclude._ip': '' },
    });
    expect(filterReasons(node, f)).toEqual([]);
  });

  test('include and require', () => {
    expect(
      filterReasons(
        node,
        allocationFilters({
          persistent: { 'cluster.routing.allocation.include.zone': 'primary,secondary' },
          transient: {},
        }),
      ),
    ).toEqual(['not include.zone']);
    expect(
      filterReasons(
        node,
        allocationFilters({ persistent: { 'cluster.routing.allocation.require._name': 'node-*' }, transient: {} }),
      ),
    ).toEqual([]);
  });

  test('wildcards', () => {
    expect(simpleMatch('172.31.0.*', '172.31.0.39')).toBe(true);
    expect(simpleMatch('172.31.0.3', '172.31.0.39')).toBe(false);
    expect(simpleMatch('node-1.', 'node-1x')).toBe(false);
  });
});
