import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { makeEd25519Key } from '../../src/sim/services/private-sshd.js';
import { freePort } from '../../src/sim/services/free-port.js';
import { parseKnownHosts, shellQuote, SshHost, verifyHostKey } from '../../src/targets/ssh/index.js';

const sshd = inject('sshd');
const dir = mkdtempSync(join(tmpdir(), 'opsbot-ssh-test-'));
const host = (over: Partial<ConstructorParameters<typeof SshHost>[0]> = {}) =>
  new SshHost({
    host: sshd.host,
    port: sshd.port,
    user: sshd.username,
    privateKeyPath: sshd.privateKeyPath,
    knownHostsPath: sshd.knownHostsPath,
    connectTimeoutMs: 5000,
    ...over,
  });

describe('SSH adapter against the private sshd', () => {
  test('argv elements arrive literally: no quoting trick reaches the shell', async () => {
    const hostile = ['a b', "it's", '$(id)', '`id`', 'x; touch /tmp/pwned-by-opsbot', '"q"', '\\n', '*', ''];
    const r = await host().run(['printf', '%s\\n', ...hostile, 'END']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([...hostile, 'END']);
  });

  test('exit codes and stderr come back; a timeout ends a long command', async () => {
    const r = await host().run(['sh', '-c', 'echo oops >&2; exit 7']);
    expect(r).toMatchObject({ code: 7, stderr: 'oops' });
    const t = await host().runTemplate('sleep 5', { timeoutSeconds: 1 });
    expect(t.code).toBe(124);
  });

  test('streams output as it comes', async () => {
    const chunks: string[] = [];
    await host().runTemplate('echo one; sleep 0.2; echo two', { onStdout: (c) => chunks.push(c) });
    expect(chunks.join('')).toBe('one\ntwo\n');
    expect(chunks.length).toBeGreaterThanOrEqual(2);
  });

  test('a key the host does not accept: a clear message', async () => {
    const other = makeEd25519Key(join(dir, 'stranger'), 'stranger');
    await expect(host({ privateKeyPath: other.privateKeyPath }).run(['true'])).rejects.toThrow(
      /refused our key \(SSH_PRIVATE_KEY_PATH\)/,
    );
  });

  test('an unknown host and a changed host key are refused, never trusted on first use', async () => {
    const empty = join(dir, 'empty_known_hosts');
    writeFileSync(empty, '# nothing\n');
    await expect(host({ knownHostsPath: empty }).run(['true'])).rejects.toThrow(
      /is not in known_hosts .*refusing to connect/,
    );
    const forged = join(dir, 'forged_known_hosts');
    const otherKey = makeEd25519Key(join(dir, 'otherhost'), 'x').publicKey.split(' ').slice(0, 2).join(' ');
    writeFileSync(forged, `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    await expect(host({ knownHostsPath: forged }).run(['true'])).rejects.toThrow(/does not match known_hosts/);
  });

  test('nothing listening: says which host and port', async () => {
    const port = await freePort();
    await expect(host({ port }).run(['true'])).rejects.toThrow(
      new RegExp(`cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
    );
  });
});

describe('known_hosts and quoting', () => {
  test('hashed entries, port syntax, revoked keys', () => {
    const line = readFileSync(sshd.knownHostsPath, 'utf8').trim();
    const key = Buffer.from(line.split(' ')[2]!, 'base64');
    // `ssh-keygen -H` style: |1|base64(salt)|base64(HMAC-SHA1(salt, "[host]:port"))
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update(`[127.0.0.1]:${sshd.port}`).digest();
    const hashed = parseKnownHosts(
      `|1|${salt.toString('base64')}|${hash.toString('base64')} ${line.split(' ').slice(1).join(' ')}`,
    );
    expect(verifyHostKey(hashed, '127.0.0.1', sshd.port, key)).toBe('trusted');
    expect(verifyHostKey(hashed, '127.0.0.1', sshd.port + 1, key)).toBe('unknown_host');
    expect(verifyHostKey(parseKnownHosts(`${line}\n@revoked ${line}`), '127.0.0.1', sshd.port, key)).toBe('revoked');
    expect(
      verifyHostKey(parseKnownHosts(`es-*.internal ${line.split(' ').slice(1).join(' ')}`), 'es-3.internal', 22, key),
    ).toBe('trusted');
  });

  test('shellQuote', () => {
    expect(shellQuote('node-3')).toBe('node-3');
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    expect(shellQuote('')).toBe("''");
  });
});
