import { describe, expect, test } from 'vitest';
import {
  describeEta,
  forecastDrain,
  forecastDrainSet,
  roughDuration,
  streamRates,
} from '../../src/runbooks/es-drain/drain-eta.js';
import type { EtaAnchor } from '../../src/runbooks/es-drain/drain-eta.js';
import {
  copySplit,
  DEFAULT_RECOVERY_LIMITS,
  recoveryLimits,
  type CopySplit,
  type ShardCopyRow,
} from '../../src/targets/elasticsearch/index.js';
import { progressBlocks } from '../../src/slack/views/progress.js';

const GB = 1024 ** 3;
const MB = 1024 ** 2;
/** A 12-node cluster's drained node: 100 GB of its own primaries, 100 GB of replicas (primaries on 10 others). */
const split: CopySplit = {
  primaryBytes: 100 * GB,
  primaries: 400,
  replicaBytes: 100 * GB,
  replicas: 400,
  replicaSenders: 10,
  receivers: 11,
};
const anchor = (s: CopySplit = split, bytesPerSec = 40 * MB): EtaAnchor => ({
  split: s,
  limits: { ...DEFAULT_RECOVERY_LIMITS, bytesPerSec },
  left: s.primaryBytes + s.replicaBytes,
  at: 0,
});

describe('the drain ETA model', () => {
  test('primaries leave through the node’s one throttle, replicas from ten senders at once', () => {
    expect(streamRates(split, DEFAULT_RECOVERY_LIMITS)).toEqual({
      primary: 40 * MB,
      primaryAlone: 40 * MB,
      replica: 400 * MB,
    });
  });

  test('more incoming than outgoing slots: primaries share receivers with the replicas until those are gone', () => {
    // 20 replica recoveries over 11 receivers: each of the node's 2 primaries shares its receiver
    // with 1.8 others, 40 × 2 / 2.8 = 28 MB/s; alone on their receivers afterwards, the full 40.
    const rates = streamRates(split, { bytesPerSec: 40 * MB, outgoing: 2, incoming: 4 });
    expect(rates.primary).toBeCloseTo((2 * 40 * MB) / (1 + 20 / 11), 0);
    expect(rates.primaryAlone).toBe(40 * MB);
    const eta = forecastDrain({ ...anchor(), limits: { bytesPerSec: 40 * MB, outgoing: 2, incoming: 4 } }, 200 * GB)!;
    const both = (100 * GB) / rates.replica; // the replicas' time
    expect(eta.seconds).toBeCloseTo(both + (100 * GB - rates.primary * both) / (40 * MB), 0);
  });

  test('the receivers bound the replicas', () => {
    // Receivers bound the replicas: 3 receivers carry 120 MB/s, 40 of which the primaries take.
    expect(streamRates({ ...split, receivers: 3 }, DEFAULT_RECOVERY_LIMITS).replica).toBe(80 * MB);
  });

  test('at the start the finish is the primaries’ time, not bytes ÷ the first (fast) rate', () => {
    const eta = forecastDrain(anchor(), 200 * GB)!;
    expect(eta.seconds).toBeCloseTo((100 * GB) / (40 * MB), 0); // 42 min 40 s
    // The extrapolated rate a minute in sees 440 MB/s and would say 200 GB / 440 MB/s ≈ 7.8 min.
    expect(eta.seconds).toBeGreaterThan(5 * ((200 * GB) / (440 * MB)));
  });

  test('half way (the replicas gone, most primaries still there) the rest leaves at 40 MB/s', () => {
    // Replicas take 256 s; by then 10 GB of primaries left too: 110 GB moved, 90 GB of primaries left.
    const atBoth = forecastDrain(anchor(), 150 * GB)!;
    expect(atBoth.oneStream).toBe(false);
    expect(atBoth.seconds).toBeCloseTo((100 * GB) / (40 * MB) - (50 * GB) / (440 * MB), 0);
    const after = forecastDrain(anchor(), 80 * GB)!;
    expect(after.oneStream).toBe(true);
    expect(after.seconds).toBeCloseTo((80 * GB) / (40 * MB), 0);
  });

  test('no replicas: one stream, at the node’s throttle; the observed rate widens the range', () => {
    const primariesOnly = { ...split, replicaBytes: 0, replicas: 0, replicaSenders: 0 };
    const eta = forecastDrain(anchor(primariesOnly), 50 * GB, 30 * MB)!;
    expect(eta.seconds).toBeCloseTo((50 * GB) / (40 * MB), 0);
    expect(eta.high).toBeCloseTo((50 * GB) / (30 * MB), 0);
    expect(eta.low).toBeCloseTo(eta.seconds * 0.95, 0);
  });

  test('a throttle raised to 80mb halves the forecast at once (the anchor is re-read with it)', () => {
    const slow = forecastDrain(anchor(), 200 * GB)!;
    const fast = forecastDrain(anchor(split, 80 * MB), 200 * GB)!;
    expect(fast.seconds).toBeCloseTo(slow.seconds / 2, 0);
  });

  test('unthrottled: the observed rate, or no forecast at all', () => {
    expect(forecastDrain(anchor(split, 0), 100 * GB)).toBeUndefined();
    expect(forecastDrain(anchor(split, 0), 100 * GB, 100 * MB)!.seconds).toBeCloseTo(1024, 0);
  });

  test('said as a person plans: "≈ 2 h 40 m, between 2 h 20 m and 3 h"', () => {
    expect(
      describeEta({
        seconds: 9600,
        low: 8400,
        high: 10_800,
        rates: { primary: 1, primaryAlone: 1, replica: 0 },
        oneStream: true,
      }),
    ).toBe('≈ 2 h 40 m, between 2 h 20 m and 3 h');
    expect(
      describeEta({
        seconds: 2700,
        low: 2690,
        high: 2710,
        rates: { primary: 1, primaryAlone: 1, replica: 0 },
        oneStream: true,
      }),
    ).toBe('≈ 45 m');
    expect(roughDuration(5 * 3600 + 23 * 60)).toBe('5 h 20 m');
    expect(roughDuration(10)).toBe('under a minute');
  });
});

describe('the facts the model reads', () => {
  test('effective throttles: transient over persistent over defaults; node_concurrent_recoveries as fallback', () => {
    expect(recoveryLimits({ persistent: {}, transient: {} })).toEqual({
      bytesPerSec: 40 * MB,
      outgoing: 2,
      incoming: 2,
    });
    expect(
      recoveryLimits({
        persistent: {
          'indices.recovery.max_bytes_per_sec': '100mb',
          'cluster.routing.allocation.node_concurrent_recoveries': '4',
        },
        transient: {
          'indices.recovery.max_bytes_per_sec': '250mb',
          'cluster.routing.allocation.node_concurrent_outgoing_recoveries': '3',
        },
      }),
    ).toEqual({ bytesPerSec: 250 * MB, outgoing: 3, incoming: 4 });
    expect(
      recoveryLimits({ persistent: { 'indices.recovery.max_bytes_per_sec': '0' }, transient: {} }).bytesPerSec,
    ).toBe(0);
  });

  test('the split: the node’s primaries, its replicas and who holds their primaries', () => {
    const row = (index: string, shard: string, primary: boolean, node: string, bytes: number): ShardCopyRow => ({
      index,
      shard,
      primary,
      state: 'STARTED',
      node,
      bytes,
    });
    const copies = [
      row('a', '0', true, 'node-3', 10),
      row('a', '0', false, 'node-1', 10),
      row('a', '1', true, 'node-1', 20),
      row('a', '1', false, 'node-3', 20),
      row('b', '0', true, 'node-2', 5),
      row('b', '0', false, 'node-3', 5),
      row('c', '0', true, 'node-3', 7), // no replica
      { ...row('d', '0', false, 'node-4', 0), state: 'UNASSIGNED', node: undefined },
    ];
    expect(copySplit(copies, 'node-3')).toEqual({
      primaryBytes: 17,
      primaries: 2,
      replicaBytes: 25,
      replicas: 2,
      replicaSenders: 2,
      receivers: 2,
    });
    // Drained with node-1: node-1 receives nothing (node-2 alone does), and still sends.
    expect(copySplit(copies, 'node-3', new Set(['node-3', 'node-1']))).toMatchObject({
      replicaSenders: 2,
      receivers: 1,
    });
  });
});

describe('several nodes drained at once', () => {
  const limits = { ...DEFAULT_RECOVERY_LIMITS, bytesPerSec: 40 * MB };
  const at = (s: CopySplit): EtaAnchor => ({ split: s, limits, left: s.primaryBytes + s.replicaBytes, at: 0 });

  test('the set is done when its slowest node is: each node leaves through its own throttle', () => {
    const small = { ...split, primaryBytes: 20 * GB, replicaBytes: 20 * GB };
    const set = forecastDrainSet(
      { 'node-3': at(split), 'node-9': at(small) },
      { 'node-3': 200 * GB, 'node-9': 40 * GB },
    )!;
    expect(set.seconds).toBeCloseTo(forecastDrain(at(split), 200 * GB)!.seconds, 0);
    expect(set.high).toBeGreaterThanOrEqual(forecastDrain(at(small), 40 * GB)!.high);
    // The big node empties: the small one's rest is the forecast.
    const later = forecastDrainSet({ 'node-3': at(split), 'node-9': at(small) }, { 'node-3': 0, 'node-9': 10 * GB })!;
    expect(later.seconds).toBeCloseTo(forecastDrain(at(small), 10 * GB)!.seconds, 0);
  });

  test('unthrottled, no physics for the set either', () => {
    const free = { ...at(split), limits: { ...limits, bytesPerSec: 0 } };
    expect(forecastDrainSet({ 'node-3': free }, { 'node-3': 10 * GB })).toBeUndefined();
  });
});

describe('the card', () => {
  test('the finish as each reader’s own date and time of day, with the range', () => {
    const at = Date.UTC(2026, 11, 5, 16, 40);
    const blocks = progressBlocks({
      fraction: 0.5,
      etaSeconds: 9600,
      etaAt: at,
      etaRangeAt: [at - 1200_000, at + 1200_000],
      fields: { ETA: '≈ 2 h 40 m, between 2 h 20 m and 3 h' },
    });
    const text = JSON.stringify(blocks);
    expect(text).toContain(
      '≈ 2 h 40 m, between 2 h 20 m and 3 h\\ndone <!date^1796488800^{date_short_pretty} {time}|2026-12-05 16:40 UTC>',
    );
    expect(text).toContain(
      '(between <!date^1796487600^{time}|2026-12-05 16:20 UTC> and <!date^1796490000^{time}|2026-12-05 17:00 UTC>)',
    );
  });
});
