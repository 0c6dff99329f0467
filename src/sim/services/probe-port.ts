import { createConnection } from 'node:net';

export interface PortProbe {
  /** Bytes to send once connected (a Redis PING); nothing for servers that speak first (sshd). */
  say?: string;
  /** Whether the first bytes received are the answer of the expected server. */
  answers: (first: Buffer) => boolean;
  /** Silence for this long reads as "not answering". */
  timeoutMs?: number;
}

/**
 * Whether a loopback port answers as expected. Settles on every way a connection can end: an
 * answer, an error, silence, or the peer closing without a word — which is what a server does
 * while it shuts down (it still accepts, then closes). A probe that waited only for data, an
 * error or a timeout never settled in that case, since a closed socket's timeout never fires:
 * that hung a test's "wait until Redis has stopped" for good, once in many runs.
 */
export function probePort(port: number, p: PortProbe): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (v: boolean) => {
      if (settled) return;
      settled = true;
      s.destroy();
      resolve(v);
    };
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      if (p.say !== undefined) s.write(p.say);
    });
    s.setTimeout(p.timeoutMs ?? 500);
    s.once('data', (d: Buffer) => settle(p.answers(d)));
    s.once('error', () => settle(false));
    s.once('timeout', () => settle(false));
    s.once('close', () => settle(false));
  });
}
