import { describe, expect, test } from 'vitest';
import { NodeFilters } from '../../../src/sim/es/node-filters.js';
import { flattenSettings, toNestedObject } from '../../../src/sim/es/settings-shape.js';
import type { SimNode } from '../../../src/sim/es/types.js';
import { formatBytes, formatDuration, parseBytes } from '../../../src/sim/es/units.js';
import { GB } from './fixtures.js';

describe('values written the way ES writes them', () => {
  test('ByteSizeValue: binary units, one decimal, truncated not rounded', () => {
    expect(formatBytes(0)).toBe('0b');
    expect(formatBytes(260)).toBe('260b');
    expect(formatBytes(1024)).toBe('1kb');
    expect(formatBytes(1536)).toBe('1.5kb');
    expect(formatBytes(Math.floor(47.35 * GB))).toBe('47.3gb');
    expect(formatBytes(Math.floor(1.99 * GB))).toBe('1.9gb');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2tb');
    expect(parseBytes('40mb', 'x')).toBe(40 * 1024 ** 2);
    expect(parseBytes('1.5gb', 'x')).toBe(1.5 * GB);
    expect(() => parseBytes('40', 'indices.recovery.max_bytes_per_sec')).toThrow(
      'failed to parse setting [indices.recovery.max_bytes_per_sec] with value [40] as a size in bytes: unit ' +
        'is missing or unrecognized',
    );
  });

  test('TimeValue', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(13)).toBe('13ms');
    expect(formatDuration(90_000)).toBe('1.5m');
    expect(formatDuration(3_600_000)).toBe('1h');
  });

  test('settings: nested on dots, but a key that is both a value and a prefix keeps its dotted rest', () => {
    const flat = flattenSettings({
      cluster: { routing: { 'allocation.disk': { watermark: { low: '85%', 'low.max_headroom': '200gb' } } } },
      'indices.recovery.max_bytes_per_sec': 100,
    });
    expect([...flat.entries()]).toEqual([
      ['cluster.routing.allocation.disk.watermark.low', '85%'],
      ['cluster.routing.allocation.disk.watermark.low.max_headroom', '200gb'],
      ['indices.recovery.max_bytes_per_sec', '100'],
    ]);
    const nested = toNestedObject(new Map([...flat].map(([k, v]) => [k, v as string])));
    expect(nested).toEqual({
      cluster: { routing: { allocation: { disk: { watermark: { low: '85%', 'low.max_headroom': '200gb' } } } } },
      indices: { recovery: { max_bytes_per_sec: '100' } },
    });
  });

  test("node filters: OR for include/exclude, AND for require, wildcards, and ES's description", () => {
    const node = (name: string, ip: string, zone?: string) =>
      ({ id: `id-${name}`, name, ip, host: ip, attributes: zone ? { zone } : {} }) as unknown as SimNode;
    const exclude = NodeFilters.build('OR', new Map([['_ip', '172.31.0.39,172.31.0.40']]));
    expect(exclude?.toString()).toBe('_ip:"172.31.0.39 OR 172.31.0.40"');
    expect(exclude?.match(node('a', '172.31.0.40'))).toBe(true);
    expect(exclude?.match(node('b', '172.31.0.4'))).toBe(false);
    expect(NodeFilters.build('OR', new Map([['_ip', '172.31.0.3*']]))?.match(node('c', '172.31.0.39'))).toBe(true);
    expect(NodeFilters.build('OR', new Map([['_ip', '']]))).toBeNull();
    const byZone = NodeFilters.build(
      'OR',
      new Map([
        ['zone', 'spot'],
        ['_name', 'node-9'],
      ]),
    );
    expect(byZone?.match(node('node-1', '1.1.1.1', 'spot'))).toBe(true);
    expect(byZone?.match(node('node-9', '1.1.1.1'))).toBe(true);
    expect(byZone?.match(node('node-2', '1.1.1.1'))).toBe(false);
    const require = NodeFilters.build('AND', new Map([['zone', 'primary']]));
    expect(require?.match(node('x', '1.1.1.1'))).toBe(false);
    expect(require?.match(node('y', '1.1.1.1', 'primary'))).toBe(true);
  });
});
