import { afterEach, describe, expect, test } from 'vitest';
import { SimCluster } from '../../src/sim/es/index.js';
import { alice, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { EVIL, expectNothingLive } from '../support/slack-sent.js';
import { eventually } from '../support/wait.js';

const GB = 1024 ** 3;

/** A cluster whose node names carry the payload (ES accepts any node.name). */
function hostileCluster(): SimCluster {
  return new SimCluster({
    nodes: [
      { name: `node-1 ${EVIL}`, ip: '172.31.0.11', zone: 'primary', diskTotalBytes: 200 * GB },
      { name: 'node-2', ip: '172.31.0.12', zone: 'secondary', diskTotalBytes: 200 * GB },
      { name: 'node-3', ip: '172.31.0.13', zone: 'spot', diskTotalBytes: 200 * GB },
    ],
    indices: [{ name: 'jobs20160101_000000', shards: 3, replicas: 1, bytesPerShard: GB }],
    seed: 5,
  });
}

describe('untrusted text from each source reaches Slack escaped, in blocks and in the fallback text', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('user text in arguments: usage errors, unknown nodes and clusters, echoed back escaped', async () => {
    h = await startDrainHarness();
    await h.driver.command('/es', `drain ${EVIL}`, alice);
    await h.driver.command('/es', `status ${EVIL}`, alice);
    await h.driver.command('/es', `drain "node-9 ${EVIL}"`, alice);
    await h.driver.command('/ops', `cancel ${EVIL}`, alice);
    await eventually(() => h.stack.slack.responses.length >= 4 || undefined, 'four answers');
    expectNothingLive(h.stack.slack);
  });

  test('node names from the cluster: status and a drain plan and its card', async () => {
    h = await startDrainHarness({ cluster: hostileCluster() });
    await h.driver.command('/es', 'status', alice);
    await eventually(() => h.cards().length >= 1 || undefined, 'the status card');
    await h.driver.command('/es', 'drain node-2', alice);
    await h.cardWithButton('run_approve');
    expect(JSON.stringify(h.cards())).toContain('&lt;!channel&gt;'); // the name is there, made literal
    expectNothingLive(h.stack.slack);
  });
});
