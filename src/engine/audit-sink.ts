import { open } from 'node:fs/promises';

/**
 * Where the audit trail is copied outside Redis: an append-only sequence of JSON lines. `append`
 * resolves only once the lines are durable; until then the entries stay in the Redis stream.
 */
export interface AuditSink {
  /** For messages: "file /var/log/opsbot/audit.jsonl", "s3://bucket/prefix". */
  readonly where: string;
  append(lines: string[]): Promise<void>;
}

/** A local file, opened for appending (O_APPEND) and flushed to disk (fsync) before append resolves. */
export class FileAuditSink implements AuditSink {
  readonly where: string;

  constructor(private readonly path: string) {
    this.where = `file ${path}`;
  }

  async append(lines: string[]): Promise<void> {
    if (!lines.length) return;
    const fh = await open(this.path, 'a', 0o640);
    try {
      await fh.appendFile(`${lines.join('\n')}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}
