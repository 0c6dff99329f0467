import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { verifyChain } from '../../src/engine/audit-chain.js';
import { AuditLog } from '../../src/engine/audit-log.js';
import { FileAuditSink, type AuditSink } from '../../src/engine/audit-sink.js';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { auditSinkFromEnv, s3ObjectLog } from '../../src/main/audit-sink-from-env.js';
import { startAwsStandIns, type AwsStandIns } from '../../src/sim/aws/index.js';
import { clientConfig } from '../../src/targets/aws/index.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

let dir: string;
let redis: Redis;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsbot-audit-'));
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => {
  redis?.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (i: number) => ({
  run: `r-${i % 3}`,
  runbook: 'es.drain',
  type: 'step_done',
  user: 'U0BOB',
  detail: { i },
});
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('the audit trail leaves Redis: a hash-chained JSON-lines file', () => {
  test('two processes append; the file has every entry once, in stream order, chained; Redis is trimmed', async () => {
    const prefix = `sink${process.pid}-${++n}`;
    const file = join(dir, `${prefix}.jsonl`);
    const sink = { sink: new FileAuditSink(file), keepInRedisMs: 0 };
    // Two AuditLogs on two connections: a web and a worker process.
    const other = new Redis(inject('redisUrl'));
    const web = new AuditLog(redis, prefix, Date.now, sink);
    const worker = new AuditLog(other, prefix, Date.now, sink);
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? web : worker).append(entry(i))));
    await web.ship(); // what a lease holder had not picked up yet
    other.disconnect();
    const shipped = lines(file).map((l) => JSON.parse(l) as { seq: number; id: string; detail: { i: number } });
    expect(shipped.map((l) => l.seq)).toEqual([...Array(60).keys()].map((i) => i + 1));
    expect(new Set(shipped.map((l) => l.detail.i)).size).toBe(60);
    const ids = shipped.map((l) => l.id);
    expect(
      [...ids].sort(
        (a, b) =>
          Number(a.split('-')[0]) - Number(b.split('-')[0]) || Number(a.split('-')[1]) - Number(b.split('-')[1]),
      ),
    ).toEqual(ids);
    expect(verifyChain(lines(file))).toMatchObject({ ok: true, lines: 60, last: { seq: 60 } });
    // keepInRedisMs 0: everything shipped is trimmed but the last entry (the trim bound).
    expect(await redis.xlen(`${prefix}:audit`)).toBe(1);
  });

  test('a sink that fails: entries stay in Redis, untrimmed, and reach the sink once it works again', async () => {
    const prefix = `sink${process.pid}-${++n}`;
    const file = join(dir, `${prefix}.jsonl`);
    let down = true;
    const real = new FileAuditSink(file);
    const flaky: AuditSink = {
      where: real.where,
      append: (l) => (down ? Promise.reject(new Error('disk full')) : real.append(l)),
    };
    const audit = new AuditLog(redis, prefix, Date.now, { sink: flaky, keepInRedisMs: 0 });
    for (let i = 0; i < 5; i++) await audit.append(entry(i));
    expect(await redis.xlen(`${prefix}:audit`)).toBe(5);
    expect((await audit.shippedUpTo()).seq).toBe(0);
    down = false;
    await audit.append(entry(5));
    expect(lines(file).map((l) => (JSON.parse(l) as { detail: { i: number } }).detail.i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(verifyChain(lines(file)).ok).toBe(true);
    expect(await redis.xlen(`${prefix}:audit`)).toBe(1);
  });

  test('verifyChain names the first removed, reordered or edited line', async () => {
    const prefix = `sink${process.pid}-${++n}`;
    const file = join(dir, `${prefix}.jsonl`);
    const audit = new AuditLog(redis, prefix, Date.now, {
      sink: { where: 'f', append: (l) => new FileAuditSink(file).append(l) },
      keepInRedisMs: 1e9,
    });
    for (let i = 0; i < 6; i++) await audit.append(entry(i));
    const good = lines(file);
    expect(verifyChain(good).ok).toBe(true);
    const removed = [...good.slice(0, 2), ...good.slice(3)];
    expect(verifyChain(removed)).toMatchObject({ ok: false, line: 3 });
    expect(JSON.stringify(verifyChain(removed))).toContain('a line before it was removed');
    const reordered = [good[0]!, good[2]!, good[1]!, ...good.slice(3)];
    expect(verifyChain(reordered)).toMatchObject({ ok: false, line: 2 });
    const edited = [...good];
    edited[3] = edited[3]!.replace('"U0BOB"', '"U0MALLORY"');
    expect(verifyChain(edited)).toMatchObject({
      ok: false,
      line: 4,
      reason: 'its content does not match its hash (edited)',
    });
    // Edited and re-hashed: the next line's prev no longer matches.
    const rehashed = [...good];
    const forged = JSON.parse(rehashed[1]!) as Record<string, unknown>;
    forged.user = 'U0MALLORY';
    rehashed[1] = JSON.stringify(forged);
    expect(verifyChain(rehashed)).toMatchObject({ ok: false, line: 2 });
  });

  test('audit:verify and audit:export run from compiled JS with only the production dependencies', async () => {
    // Compile the two entry points alone, and give them a node_modules with `dependencies` only
    // (no tsx, no typescript, no vitest): what `npm ci --omit=dev` leaves.
    const out = mkdtempSync(join(tmpdir(), 'opsbot-prod-'));
    try {
      // esbuild (what tsx uses) turns our TypeScript into plain JS; every package stays an import,
      // resolved from out/node_modules alone.
      await build({
        entryPoints: [join(ROOT, 'src/main/audit-verify.ts'), join(ROOT, 'src/main/audit-export.ts')],
        outdir: join(out, 'dist/main'),
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'silent',
      });
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module', dependencies: pkg.dependencies }));
      for (const name of Object.keys(pkg.dependencies)) {
        mkdirSync(join(out, 'node_modules', name, '..'), { recursive: true });
        symlinkSync(join(ROOT, 'node_modules', name), join(out, 'node_modules', name), 'dir');
      }
      const prefix = `sink${process.pid}-${++n}`;
      const file = join(dir, `${prefix}.jsonl`);
      const audit = new AuditLog(redis, prefix, Date.now, { sink: new FileAuditSink(file), keepInRedisMs: 1e9 });
      for (let i = 0; i < 4; i++) await audit.append(entry(i));
      const env = { PATH: process.env.PATH, REDIS_URL: inject('redisUrl'), OPSBOT_PREFIX: prefix };
      const verify = (f: string) =>
        run(process.execPath, [join(out, 'dist/main/audit-verify.js'), f], { env }).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
      expect(await verify(file)).toMatchObject({ code: 0, stdout: `${file}: 4 audit entries, hash chain intact\n` });
      // The last line cut off: only Redis's record of what was shipped can tell.
      const cut = join(dir, `${prefix}-cut.jsonl`);
      writeFileSync(cut, `${lines(file).slice(0, 3).join('\n')}\n`);
      const short = await verify(cut);
      expect(short.code).toBe(1);
      expect(short.stderr).toContain('ends at entry 3 but Redis');
      const edited = join(dir, `${prefix}-edited.jsonl`);
      writeFileSync(edited, readFileSync(file, 'utf8').replace('"i":2', '"i":20'));
      const bad = await verify(edited);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`${edited}:3: chain broken`);
      const exported = await run(process.execPath, [join(out, 'dist/main/audit-export.js')], { env });
      expect(exported.stdout.trim().split('\n')).toHaveLength(4);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the audit trail leaves Redis: S3 objects, one a shipped batch', () => {
  let aws: AwsStandIns;
  beforeAll(async () => {
    aws = await startAwsStandIns({ buckets: ['opsbot-audit'] });
  });
  afterAll(async () => {
    await aws?.close();
  });
  const env = () => ({ ...aws.env, OPSBOT_AUDIT_KEEP_DAYS: '0' });
  const s3 = () => new S3Client({ ...clientConfig(aws.estateAws, 's3', aws.env), forcePathStyle: true });
  const objects = async (prefix: string) => {
    const log = s3ObjectLog(`s3://opsbot-audit/${prefix}/`, aws.estateAws, aws.env);
    const out: { key: string; lines: string[] }[] = [];
    for await (const o of log.objects()) out.push(o);
    return out;
  };

  test('OPSBOT_AUDIT_S3: two processes append; the objects in key order are the chain, every entry once', async () => {
    const prefix = `sink${process.pid}-${++n}`;
    const { audit: sink } = auditSinkFromEnv(
      { ...env(), OPSBOT_AUDIT_S3: `s3://opsbot-audit/${prefix}` },
      aws.estateAws,
    );
    expect(sink!.sink.where).toBe(`s3://opsbot-audit/${prefix}/`);
    const other = new Redis(inject('redisUrl'));
    const web = new AuditLog(redis, prefix, Date.now, sink);
    const worker = new AuditLog(other, prefix, Date.now, sink);
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? web : worker).append(entry(i))));
    await web.ship();
    // Three more, one at a time: each append ships its own batch, so its own object.
    for (let i = 30; i < 33; i++) await worker.append(entry(i));
    other.disconnect();
    const objs = await objects(prefix);
    expect(objs.length).toBeGreaterThanOrEqual(4);
    expect(objs.slice(-3).map((o) => o.lines.length)).toEqual([1, 1, 1]);
    const all = objs.flatMap((o) => o.lines);
    expect(verifyChain(all)).toMatchObject({ ok: true, lines: 33, last: { seq: 33 } });
    expect(new Set(all.map((l) => (JSON.parse(l) as { detail: { i: number } }).detail.i)).size).toBe(33);
    // Each object is named by its first line's place in the chain.
    for (const o of objs)
      expect(o.key).toBe(
        `${prefix}/${String((JSON.parse(o.lines[0]!) as { seq: number }).seq).padStart(12, '0')}.jsonl`,
      );
    expect(await redis.xlen(`${prefix}:audit`)).toBe(1);
  });

  test('append-only: the same batch again is a no-op (a retry); other lines under its name: refused', async () => {
    const prefix = `sink${process.pid}-${++n}`;
    const log = s3ObjectLog(`s3://opsbot-audit/${prefix}/`, aws.estateAws, aws.env);
    await log.append(['{"seq":1}', '{"seq":2}'], 1);
    await log.append(['{"seq":1}', '{"seq":2}'], 1);
    await expect(log.append(['{"seq":1,"user":"U0MALLORY"}'], 1)).rejects.toThrow(/never overwritten/);
    expect((await objects(prefix)).map((o) => o.lines)).toEqual([['{"seq":1}', '{"seq":2}']]);
  });

  test('both sinks at once, or a location that is not S3, is refused with what to write instead', () => {
    expect(() => auditSinkFromEnv({ OPSBOT_AUDIT_S3: 's3://opsbot-audit/x/', OPSBOT_AUDIT_FILE: '/tmp/a' })).toThrow(
      /not both/,
    );
    expect(() => auditSinkFromEnv({ OPSBOT_AUDIT_S3: 'https://opsbot-audit/x/' }, aws.estateAws)).toThrow(
      /write it as s3:\/\/BUCKET\/PREFIX\//,
    );
  });

  test('audit:verify s3://…: intact; an object removed or a line edited is named by object and line', async () => {
    const prefix = `sink${process.pid}-${++n}`;
    const { audit: sink } = auditSinkFromEnv(
      { ...env(), OPSBOT_AUDIT_S3: `s3://opsbot-audit/${prefix}/` },
      aws.estateAws,
    );
    const audit = new AuditLog(redis, prefix, Date.now, { ...sink!, keepInRedisMs: 1e9 });
    for (let i = 0; i < 4; i++) await audit.append(entry(i)); // each append ships its own batch
    const url = `s3://opsbot-audit/${prefix}/`;
    const cliEnv = {
      PATH: process.env.PATH,
      ...aws.env,
      AWS_ENDPOINT_URL_S3: aws.estateAws.endpoints.s3,
      REDIS_URL: inject('redisUrl'),
      OPSBOT_PREFIX: prefix,
    };
    const verify = () =>
      run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/audit-verify.ts'), url], { env: cliEnv }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    expect(await verify()).toMatchObject({ code: 0, stdout: `${url}: 4 audit entries, hash chain intact\n` });
    const objs = await objects(prefix);
    expect(objs).toHaveLength(4);
    // The second object removed: the chain breaks at the third's first line.
    await s3().send(new DeleteObjectCommand({ Bucket: 'opsbot-audit', Key: objs[1]!.key }));
    const removed = await verify();
    expect(removed.code).toBe(1);
    expect(removed.stderr).toContain(`s3://opsbot-audit/${objs[2]!.key}:1: chain broken`);
    // Put back, then the last edited.
    await s3().send(
      new PutObjectCommand({ Bucket: 'opsbot-audit', Key: objs[1]!.key, Body: `${objs[1]!.lines.join('\n')}\n` }),
    );
    const last = objs[3]!;
    await s3().send(
      new PutObjectCommand({
        Bucket: 'opsbot-audit',
        Key: last.key,
        Body: `${last.lines[0]!.replace('"U0BOB"', '"U0EVE"')}\n`,
      }),
    );
    const edited = await verify();
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(
      `s3://opsbot-audit/${last.key}:1: chain broken: its content does not match its hash`,
    );
  }, 30_000);
});
