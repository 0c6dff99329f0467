import type { TestProject } from 'vitest/node';
import { startPrivateRedis, destroyPrivateRedis, type PrivateRedis } from '../../src/sim/services/private-redis.js';
import { startPrivateSshd, type PrivateSshd } from '../../src/sim/services/private-sshd.js';

/** What test files get of the private sshd: everything but the means to stop it. */
export type ProvidedSshd = Omit<PrivateSshd, 'stop'>;

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:PORT of the private redis-server shared by the test files. */
    redisUrl: string;
    /** A private OpenSSH server on loopback that accepts `privateKeyPath` for `username`. */
    sshd: ProvidedSshd;
  }
}

let redis: PrivateRedis | undefined;
let sshd: PrivateSshd | undefined;

export async function setup(project: TestProject): Promise<void> {
  [redis, sshd] = await Promise.all([startPrivateRedis(), startPrivateSshd()]);
  project.provide('redisUrl', redis.url);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- taken out only to leave it out of what is provided
  const { stop: _stop, ...provided } = sshd;
  project.provide('sshd', provided);
}

export async function teardown(): Promise<void> {
  await Promise.all([redis ? destroyPrivateRedis(redis) : undefined, sshd?.stop()]);
}
