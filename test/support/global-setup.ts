import type { TestProject } from 'vitest/node';
import { startPrivateRedis, destroyPrivateRedis, type PrivateRedis } from './services/redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:PORT of the private redis-server shared by the test files. */
    redisUrl: string;
  }
}

let redis: PrivateRedis | undefined;

export async function setup(project: TestProject): Promise<void> {
  redis = await startPrivateRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  if (redis) await destroyPrivateRedis(redis);
}
