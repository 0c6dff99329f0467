import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { destroyPrivateRedis, startPrivateRedis, type PrivateRedis } from './private-redis.js';
import { requireBinary } from './require-binary.js';
import { waitFor } from './wait-for.js';

export interface PrivateSentinels {
  /** The name the sentinels monitor (`sentinel monitor NAME ...`). */
  name: string;
  /** host:port of each sentinel, as REDIS_SENTINELS takes them. */
  sentinels: { host: string; port: number }[];
  /** The two data servers; which one is master changes with a failover. */
  servers: PrivateRedis[];
  /** Port of the master the sentinels name now. */
  masterPort(): Promise<number>;
  /**
   * A failover: `kill` SIGKILLs the master (the sentinels notice it is down and elect the replica),
   * otherwise SENTINEL FAILOVER on one sentinel. Resolves with the new master's port once every
   * sentinel names it and it answers as master.
   */
  failover(how: { kill?: boolean }): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A master and a replica (redis-server, AOF on) and three redis-sentinel processes watching them
 * with quorum 2, all on loopback in a temporary directory: Sentinel as production runs it.
 */
export async function startPrivateSentinels(name = 'opsbot'): Promise<PrivateSentinels> {
  const bin = requireBinary('redis-sentinel', 'redis-sentinel');
  const master = await startPrivateRedis({ appendonly: true });
  const replica = await startPrivateRedis({
    appendonly: true,
    args: ['--replicaof', '127.0.0.1', String(master.port)],
  });
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-sentinel-'));
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    ports.push(port);
    const conf = join(dir, `sentinel-${port}.conf`);
    // Sentinel rewrites its own file (discovered replicas, other sentinels, the current epoch).
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        'daemonize yes',
        `pidfile ${join(dir, `sentinel-${port}.pid`)}`,
        `logfile ${join(dir, `sentinel-${port}.log`)}`,
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    execFileSync(bin, [conf], { stdio: 'ignore' });
  }
  const clients = ports.map((port) => new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 }));
  const named = async (c: Redis) =>
    Number(((await c.call('SENTINEL', 'get-master-addr-by-name', name)) as string[] | null)?.[1]);
  // Ready: every sentinel sees the replica in sync and the other two sentinels (a failover needs both).
  await waitFor(
    async () => {
      for (const c of clients) {
        const replicas = (await c.call('SENTINEL', 'replicas', name)) as string[][];
        const ok = replicas.some(
          (r) => fields(r).get('master-link-status') === 'ok' && !/down/.test(fields(r).get('flags') ?? ''),
        );
        const master = fields((await c.call('SENTINEL', 'master', name)) as string[]);
        if (!ok || Number(master.get('num-other-sentinels')) < 2) return false;
      }
      return true;
    },
    `three sentinels watching ${name} with its replica (logs in ${dir})`,
    20_000,
  );
  const masterPort = () => named(clients[0]!);
  return {
    name,
    sentinels: ports.map((port) => ({ host: '127.0.0.1', port })),
    servers: [master, replica],
    masterPort,
    async failover(how) {
      const before = await masterPort();
      const old = [master, replica].find((r) => r.port === before)!;
      if (how.kill) process.kill(Number(readFileSync(join(old.dir, 'redis.pid'), 'utf8').trim()), 'SIGKILL');
      else await clients[0]!.call('SENTINEL', 'FAILOVER', name);
      let after = before;
      await waitFor(
        async () => {
          const seen = await Promise.all(clients.map(named));
          after = seen[0]!;
          if (after === before || seen.some((p) => p !== after)) return false;
          const probe = new Redis({ host: '127.0.0.1', port: after, lazyConnect: true, maxRetriesPerRequest: 1 });
          try {
            await probe.connect();
            return /role:master/.test(await probe.info('replication'));
          } finally {
            probe.disconnect();
          }
        },
        `the failover of ${name} away from port ${before} (logs in ${dir})`,
        20_000,
      );
      return after;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      for (const port of ports) {
        const pidFile = join(dir, `sentinel-${port}.pid`);
        if (!existsSync(pidFile)) continue;
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          continue;
        }
        await waitFor(() => !alive(pid), `redis-sentinel pid ${pid} to exit`);
      }
      await Promise.all([destroyPrivateRedis(master), destroyPrivateRedis(replica)]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SENTINEL's flat [key, value, key, value...] replies as a map. */
function fields(flat: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) m.set(flat[i]!, flat[i + 1]!);
  return m;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
