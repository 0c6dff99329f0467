import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { probePort } from './probe-port.js';
import { requireBinary } from './require-binary.js';
import { waitFor } from './wait-for.js';

export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (SHUTDOWN NOSAVE unless AOF is on) and waits until the port is closed. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and directory (AOF data survives when appendonly). */
  start(): Promise<void>;
}

export interface RedisOptions {
  /** AOF on with fsync always: for tests that restart Redis and expect nothing lost. */
  appendonly?: boolean;
  /** More redis-server arguments after the defaults (a later one wins): `--maxmemory-policy allkeys-lru`. */
  args?: string[];
}

/** Starts a private redis-server on a free loopback port, data in a temporary directory. */
export async function startPrivateRedis(opts: RedisOptions = {}): Promise<PrivateRedis> {
  const bin = requireBinary('redis-server', 'redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    opts.appendonly ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--dir',
    dir,
    '--daemonize',
    'yes',
    '--pidfile',
    join(dir, 'redis.pid'),
    '--logfile',
    join(dir, 'redis.log'),
    '--maxmemory-policy',
    'noeviction',
    ...(opts.args ?? []),
  ];
  const start = async () => {
    execFileSync(bin, args, { stdio: 'ignore' });
    await waitFor(async () => ping(port), `redis-server on port ${port} (log: ${join(dir, 'redis.log')})`);
  };
  const stop = async () => {
    const pidFile = join(dir, 'redis.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    await waitFor(async () => !(await ping(port)) && !alive(pid), `redis-server pid ${pid} to exit`);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop: async () => {
      await stop();
    },
  };
}

export async function destroyPrivateRedis(r: PrivateRedis): Promise<void> {
  await r.stop();
  rmSync(r.dir, { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function ping(port: number): Promise<boolean> {
  return probePort(port, { say: 'PING\r\n', answers: (d) => d.toString().startsWith('+PONG') });
}
