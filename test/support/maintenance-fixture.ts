import { inject } from 'vitest';
import { SimCluster } from '../../src/sim/es/index.js';
import { startDrainHarness, type DrainHarness, type ProxyHooks } from './drain-fixture.js';

const GB = 1024 ** 3;

/** Four nodes whose host is this machine, so "SSH to the node" reaches the private test sshd. */
export function sshReachableCluster(version?: string): SimCluster {
  const node = (name: string, ip: string, zone: string) => ({
    name,
    ip,
    host: '127.0.0.1',
    zone,
    diskTotalBytes: 200 * GB,
  });
  return new SimCluster({
    nodes: [
      node('node-1', '172.31.0.11', 'primary'),
      node('node-2', '172.31.0.12', 'secondary'),
      node('node-3', '172.31.0.39', 'spot'),
      node('node-4', '172.31.0.14', 'spot'),
    ],
    indices: [
      { name: 'unittest20160101_000000', shards: 6, replicas: 1, bytesPerShard: 1 * GB, aliases: ['unittest'] },
    ],
    seed: 5,
    ...(version ? { version } : {}),
  });
}

export interface MaintenanceOptions {
  /** Command templates; by default they drive the simulator's node control with curl through the recording proxy. */
  commands?: (url: string) => Record<string, string>;
  changes?: Record<string, string>;
  timeouts?: Partial<{ rejoinMs: number; leaveMs: number; recoveryMs: number; pollMs: number }>;
  privateKeyPath?: string;
  sshPort?: number;
  worker?: boolean;
  prefix?: string;
  speed?: number;
  /** The Elasticsearch release the cluster answers as (default 8.17.0). */
  esVersion?: string;
  proxyHooks?: ProxyHooks;
}

/** The simulator's node control, as the node's own init system would do it, reached over SSH. */
export const simNodeCommands = (url: string) => ({
  stop: `curl -sf -X POST ${url}/_sim/nodes/{node}/_stop`,
  start: `curl -sf -X POST ${url}/_sim/nodes/{node}/_start`,
  restart: `curl -sf -X POST '${url}/_sim/nodes/{node}/_restart?delay_ms=20000'`,
});

/** A drain harness whose cluster's nodes are reached over the real test sshd. */
export async function startMaintenanceHarness(o: MaintenanceOptions = {}): Promise<DrainHarness> {
  const sshd = inject('sshd');
  return startDrainHarness({
    cluster: sshReachableCluster(o.esVersion),
    speed: o.speed ?? 50,
    ...(o.worker !== undefined ? { worker: o.worker } : {}),
    ...(o.prefix ? { prefix: o.prefix } : {}),
    ...(o.proxyHooks ? { proxyHooks: o.proxyHooks } : {}),
    env: { ...process.env, SSH_PRIVATE_KEY_PATH: o.privateKeyPath ?? sshd.privateKeyPath },
    localCluster: (url) => ({
      ssh: { user: sshd.username, port: o.sshPort ?? sshd.port, knownHosts: sshd.knownHostsPath, address: 'host' },
      commands: (o.commands ?? simNodeCommands)(url),
      changes: o.changes ?? {},
      timeouts: { pollMs: 100, rejoinMs: 8_000, leaveMs: 8_000, recoveryMs: 30_000, ...o.timeouts },
    }),
  });
}

/** What reached the cluster, in order: settings writes and node control calls, as one readable log. */
export function clusterActions(h: DrainHarness): string[] {
  return h.proxy.requests.flatMap((r) => {
    if (r.method === 'PUT' && r.path.startsWith('/_cluster/settings')) {
      // A setting's value is a scalar, or null when the write resets it.
      const body = JSON.parse(r.body) as { persistent?: Record<string, string | number | boolean | null> };
      return Object.entries(body.persistent ?? {}).map(
        ([k, v]) => `${k.replace('cluster.routing.allocation.', '')}=${v === null ? 'null' : String(v)}`,
      );
    }
    const m = /^\/_sim\/nodes\/([^/]+)\/_(stop|start|restart)/.exec(r.path);
    return m ? [`${m[2]} ${m[1]}`] : [];
  });
}
