import { describe, expect, inject, test } from 'vitest';
import { Redis } from 'ioredis';

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
