import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { describe, expect, inject, test } from 'vitest';
import { AuditLog } from '../../src/engine/audit-log.js';

const run = promisify(execFile);

describe('audit export', () => {
  test('writes the audit stream as JSON lines, oldest first, optionally one run', async () => {
    const prefix = `export${Date.now()}`;
    const redis = new Redis(inject('redisUrl'));
    const audit = new AuditLog(redis, prefix, () => Date.UTC(2026, 10, 25, 12, 0, 0));
    for (let i = 0; i < 1200; i++)
      await audit.append({
        run: i % 2 ? 'r-odd' : 'r-even',
        runbook: 'es.drain',
        type: 'step_done',
        user: 'U0BOB',
        step: `s${i}`,
        detail: { i },
      });
    redis.disconnect();
    const env = { ...process.env, REDIS_URL: inject('redisUrl'), OPSBOT_PREFIX: prefix };
    const all = await run(process.execPath, ['--import', 'tsx', 'src/main/audit-export.ts'], {
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { run: string; detail: { i: number }; at: string; user: string });
    expect(lines).toHaveLength(1200);
    expect(lines.map((l) => l.detail.i)).toEqual([...Array(1200).keys()]);
    expect(lines[0]).toMatchObject({ run: 'r-even', user: 'U0BOB', at: '2026-11-25T12:00:00.000Z' });
    expect(all.stderr).toContain(`1200 audit entries exported from ${prefix}:audit`);
    const one = await run(process.execPath, ['--import', 'tsx', 'src/main/audit-export.ts', '--run', 'r-odd'], { env });
    expect(
      one.stdout
        .trim()
        .split('\n')
        .every((l) => (JSON.parse(l) as { run: string }).run === 'r-odd'),
    ).toBe(true);
    expect(one.stdout.trim().split('\n')).toHaveLength(600);
  });
});
