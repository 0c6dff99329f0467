/**
 * The estate of the ack benchmark, in a process of its own: the cluster simulator and the Slack
 * stand-in answer the web process's reads and replies here, so that their work never shares an
 * event loop with the driver that times the acks. Sends its URLs to the parent, exits on "stop".
 */
import { SimCluster, startEsSimulator } from '../src/sim/es/index.js';
import { startFakeSlack } from '../src/sim/slack/index.js';

const GB = 1024 ** 3;

async function main(): Promise<void> {
  const nodes = [1, 2, 3, 4, 5, 6].map((i) => ({
    name: `node-${i}`,
    ip: `172.31.0.${10 + i}`,
    zone: 'primary',
    diskTotalBytes: 500 * GB,
  }));
  const es = await startEsSimulator({
    cluster: new SimCluster({ nodes, indices: [{ name: 'i', shards: 50, replicas: 1, bytesPerShard: GB }] }),
    tickMs: 0,
  });
  const slack = await startFakeSlack();
  process.send!({ esUrl: es.url, slackApiUrl: slack.apiUrl, slackBaseUrl: slack.baseUrl });
  process.once('message', () => {
    void Promise.all([slack.close(), es.close()]).then(() => process.exit(0));
  });
}

void main();
