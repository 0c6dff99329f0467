import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The first port the OS hands out to outgoing connections (Linux: ip_local_port_range, default
 * 32768). A listener's port picked below it can be taken only by another listener, never by a
 * client socket's local end: a process started (or restarted after a kill) on a port picked a
 * moment earlier found it taken by some test's Redis connection (EADDRINUSE, the scale campaign).
 */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > 2048 ? first : 32768;
  } catch {
    return 32768;
  }
}

const LOW = 20000;

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      const got = addr && typeof addr === 'object' ? addr.port : undefined;
      srv.close(() => resolve(got));
    });
  });
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, below the ephemeral range when there is room
 * (tried at random, so that parallel test files rarely pick the same); else one the OS picks.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralStart() - 1;
  if (high > LOW) {
    for (let i = 0; i < 50; i++) {
      const port = await tryListen(LOW + Math.floor(Math.random() * (high - LOW)));
      if (port !== undefined) return port;
    }
  }
  const any = await tryListen(0);
  if (any === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return any;
}
