import { describe, expect, test } from 'vitest';
import { InvariantMonitor, snapshotSettings } from '../../src/sim/chaos/index.js';
import { SimCluster } from '../../src/sim/es/index.js';

const RATE = 'indices.recovery.max_bytes_per_sec';
const INCOMING = 'cluster.routing.allocation.node_concurrent_incoming_recoveries';

/** The chaos monitor's own checks can fail: each is shown catching the danger it is for. */
describe('InvariantMonitor: I3 for the recovery throttles of a fast drain', () => {
  const cluster = () =>
    new SimCluster({
      nodes: [1, 2, 3].map((i) => ({
        name: `node-${i}`,
        ip: `172.31.0.${i}`,
        host: '127.0.0.1',
        zone: 'primary',
        diskTotalBytes: 1024 ** 4,
      })),
      indices: [{ name: 'unittest', shards: 2, replicas: 1, bytesPerShard: 1024 }],
      seed: 1,
    });

  test('a run that ends with the throttle raised and no alarm for it is a violation', () => {
    const c = cluster();
    const m = new InvariantMonitor(c);
    const before = snapshotSettings(c);
    c.putSettings({ persistent: { [RATE]: '160mb', [INCOMING]: '4' } });
    m.settled(before, 'cancelled', ['allocation-disabled']);
    expect(m.violations.map((v) => [v.invariant, v.what])).toEqual([
      [
        'I3',
        `run cancelled with the recovery throttle raised, ${RATE}=160mb (was default), ${INCOMING}=4 (was default), ` +
          'and no alarm',
      ],
    ]);
  });

  test('restored (unset stays unset), or left raised with its alarm on the card: no violation', () => {
    const c = cluster();
    const m = new InvariantMonitor(c);
    c.putSettings({ persistent: { [RATE]: '40mb' } });
    const before = snapshotSettings(c);
    c.putSettings({ persistent: { [RATE]: '160mb', [INCOMING]: '4' } });
    m.settled(before, 'failed', ['recovery-throttle-raised']);
    c.putSettings({ persistent: { [RATE]: '40mb', [INCOMING]: null } });
    m.settled(before, 'reverted', []);
    expect(m.violations).toEqual([]);
  });
});
