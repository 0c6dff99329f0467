import { describe, expect, inject, test } from 'vitest';
import { Redis } from 'ioredis';
import { NodeSSH } from 'node-ssh';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { probePort } from '../../src/sim/services/probe-port.js';
import { makeEd25519Key } from '../../src/sim/services/private-sshd.js';

describe('private test services', () => {
  test('redis is private: a loopback port that is not the machine-wide 6379', async () => {
    const url = inject('redisUrl');
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(url.endsWith(':6379')).toBe(false);
    const r = new Redis(url);
    await r.set('opsbot:probe', 'ok');
    expect(await r.get('opsbot:probe')).toBe('ok');
    expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    r.disconnect();
  });
});

describe('private sshd', () => {
  const sshd = inject('sshd');
  const connect = (extra: Record<string, unknown> = {}) =>
    new NodeSSH().connect({
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKeyPath: sshd.privateKeyPath,
      readyTimeout: 5_000,
      ...extra,
    });

  /** The host key blob from the known_hosts line, as ssh2 hands it to hostVerifier. */
  function knownHostKey(): Buffer {
    const [hostPattern, , blob] = readFileSync(sshd.knownHostsPath, 'utf8').trim().split(' ');
    expect(hostPattern).toBe(`[127.0.0.1]:${sshd.port}`);
    return Buffer.from(blob ?? '', 'base64');
  }

  test('accepts the client key and runs a command with its exit code', async () => {
    const ssh = await connect();
    try {
      const result = await ssh.execCommand('echo hi');
      expect(result).toMatchObject({ stdout: 'hi', code: 0 });
      expect((await ssh.execCommand('exit 3')).code).toBe(3);
      // A home of its own: the machine user's shell start-up files are not run for our commands.
      expect((await ssh.execCommand('echo "$HOME"')).stdout).toBe(sshd.dir);
    } finally {
      ssh.dispose();
    }
  });

  test('refuses a key that is not authorized', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-wrong-key-'));
    try {
      const wrong = makeEd25519Key(join(dir, 'id_ed25519'), 'not-authorized');
      await expect(connect({ privateKeyPath: wrong.privateKeyPath })).rejects.toThrow(/authentication methods failed/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('host key verification against known_hosts accepts this server and refuses another key', async () => {
    const expected = knownHostKey();
    const ssh = await connect({ hostVerifier: (key: Buffer) => key.equals(expected) });
    expect((await ssh.execCommand('true')).code).toBe(0);
    ssh.dispose();

    const dir = mkdtempSync(join(tmpdir(), 'opsbot-other-host-'));
    try {
      const other = makeEd25519Key(join(dir, 'host'), 'another-host');
      const otherBlob = Buffer.from(other.publicKey.split(' ')[1] ?? '', 'base64');
      await expect(connect({ hostVerifier: (key: Buffer) => key.equals(otherBlob) })).rejects.toThrow(
        /verification failed/i,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('probing a private service port', () => {
  const serve = async (onConnection: (s: Socket) => void) => {
    const srv = createServer(onConnection);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return { srv, port: (srv.address() as AddressInfo).port };
  };
  const pong = (d: Buffer) => d.toString().startsWith('+PONG');

  test('a server that accepts and closes without a word (Redis shutting down) reads as not answering', async () => {
    const { srv, port } = await serve((s) => s.end());
    const t0 = Date.now();
    // Longer than the test's deadline: only the close can settle the probe in time.
    expect(await probePort(port, { say: 'PING\r\n', answers: pong, timeoutMs: 60_000 })).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2_000);
    srv.close();
  });

  test('an answer, silence and a closed port each settle the probe', async () => {
    const { srv: answering, port } = await serve((s) => s.once('data', () => s.write('+PONG\r\n')));
    expect(await probePort(port, { say: 'PING\r\n', answers: pong })).toBe(true);
    const { srv: silent, port: silentPort } = await serve((s) => s.resume()); // reads, never answers
    expect(await probePort(silentPort, { say: 'PING\r\n', answers: pong, timeoutMs: 200 })).toBe(false);
    await new Promise((r) => silent.close(r));
    expect(await probePort(silentPort, { say: 'PING\r\n', answers: pong })).toBe(false);
    answering.close();
  });
});
