import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { verifyChain } from '../engine/audit-chain.js';
import { awsFromEnv, s3ObjectLog } from './audit-sink-from-env.js';

/**
 * `npm run audit:verify -- FILE` or `-- s3://BUCKET/PREFIX/` (or OPSBOT_AUDIT_FILE / OPSBOT_AUDIT_S3):
 * checks the audit sink's hash chain line by line and names the first line that was removed,
 * reordered or edited (for S3: the object and its line; an object removed breaks the chain at the
 * next one). With REDIS_URL set it also compares the sink's end with what Redis says was shipped, so
 * lines cut off the end are found too. Exit 0: intact; 1: broken (the line and why on stderr); 2:
 * cannot check. Reads only.
 */
interface SinkLines {
  lines: string[];
  /** Where line `n` (from 1) is, for the message. */
  at(n: number): string;
}

async function readSink(source: string): Promise<SinkLines> {
  if (source.startsWith('s3://')) {
    const log = s3ObjectLog(source, awsFromEnv(process.env), process.env);
    const lines: string[] = [];
    const places: string[] = [];
    for await (const o of log.objects()) {
      o.lines.forEach((l, i) => {
        lines.push(l);
        places.push(`s3://${log.bucket}/${o.key}:${i + 1}`);
      });
    }
    return { lines, at: (n) => places[n - 1] ?? `${source} (after its last object)` };
  }
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(source), crlfDelay: Infinity })) lines.push(line);
  return { lines, at: (n) => `${source}:${n}` };
}

async function main(): Promise<number> {
  const file = process.argv[2] ?? process.env.OPSBOT_AUDIT_FILE ?? process.env.OPSBOT_AUDIT_S3;
  if (!file) {
    process.stderr.write(
      'usage: npm run audit:verify -- FILE or s3://BUCKET/PREFIX/ (or set OPSBOT_AUDIT_FILE or OPSBOT_AUDIT_S3)\n',
    );
    return 2;
  }
  const sink = await readSink(file);
  const verdict = verifyChain(sink.lines);
  if (!verdict.ok) {
    process.stderr.write(`${sink.at(verdict.line)}: chain broken: ${verdict.reason}\n`);
    return 1;
  }
  if (process.env.REDIS_URL) {
    const prefix = process.env.OPSBOT_PREFIX ?? 'opsbot';
    const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
    try {
      await redis.connect();
      const shipped = await redis.hgetall(`${prefix}:audit:shipped`);
      const seq = Number(shipped.seq ?? 0);
      if (seq !== verdict.last.seq || (seq > 0 && shipped.hash !== verdict.last.hash)) {
        process.stderr.write(
          `${file}: ends at entry ${verdict.last.seq} but Redis (${prefix}) shipped ${seq}: ` +
            `${seq > verdict.last.seq ? 'lines were removed from its end' : 'it is not the sink this Redis writes'}\n`,
        );
        return 1;
      }
    } finally {
      redis.disconnect();
    }
  }
  process.stdout.write(`${file}: ${verdict.lines} audit entries, hash chain intact\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`audit verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
