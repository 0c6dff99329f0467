import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface KnownHostEntry {
  patterns: string[];
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  key: Buffer;
  revoked: boolean;
}

/** How OpenSSH names a host in known_hosts: `host` on port 22, `[host]:port` otherwise. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses a known_hosts file: plain and hashed (`|1|salt|hash`) host fields, `@revoked` markers; comments skipped. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      revoked = fields[0] === '@revoked';
      fields.shift(); // @cert-authority lines are not host keys: kept out by their marker below
      if (!revoked) continue;
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) continue;
    const entry: KnownHostEntry = { patterns: [], keyType, key: Buffer.from(key, 'base64'), revoked };
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      entry.hashed = { salt: Buffer.from(salt ?? '', 'base64'), hash: Buffer.from(hash ?? '', 'base64') };
    } else {
      entry.patterns = hosts.split(',');
    }
    entries.push(entry);
  }
  return entries;
}

function matches(entry: KnownHostEntry, token: string): boolean {
  if (entry.hashed) {
    return createHmac('sha1', entry.hashed.salt).update(token).digest().equals(entry.hashed.hash);
  }
  let hit = false;
  for (const p of entry.patterns) {
    const negated = p.startsWith('!');
    const re = new RegExp(
      `^${(negated ? p.slice(1) : p)
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\[/g, '\\[')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    if (re.test(token)) {
      if (negated) return false;
      hit = true;
    }
  }
  return hit;
}

export type HostKeyVerdict = 'trusted' | 'unknown_host' | 'mismatch' | 'revoked';

/** Checks a presented host key against known_hosts, as OpenSSH's StrictHostKeyChecking=yes does. */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const token = hostToken(host, port);
  const forHost = entries.filter((e) => matches(e, token));
  if (forHost.some((e) => e.revoked && e.key.equals(key))) return 'revoked';
  if (forHost.some((e) => !e.revoked && e.key.equals(key))) return 'trusted';
  return forHost.some((e) => !e.revoked) ? 'mismatch' : 'unknown_host';
}

export function loadKnownHosts(path: string): KnownHostEntry[] {
  return parseKnownHosts(readFileSync(path, 'utf8'));
}
