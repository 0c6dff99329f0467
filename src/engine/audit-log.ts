import type { Redis } from 'ioredis';

/** One line of the audit trail. `detail` is whatever else the event carried. */
export interface AuditEntry {
  /** Stream entry id (time-ordered), set when read back. */
  id?: string;
  at: number;
  run: string;
  runbook: string;
  type: string;
  user?: string;
  step?: string;
  detail: Record<string, unknown>;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'detail'> & { at?: number; detail?: Record<string, unknown> };

const PAGE = 200;

/**
 * Append-only Redis stream `${prefix}:audit` (XADD, never trimmed): who asked, who approved or
 * refused, what ran and how it ended. It outlives the runs' own records by design.
 */
export class AuditLog {
  readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number,
  ) {
    this.key = `${prefix}:audit`;
  }

  async append(entry: AuditInput): Promise<string> {
    const fields = [
      'at',
      String(entry.at ?? this.now()),
      'run',
      entry.run,
      'runbook',
      entry.runbook,
      'type',
      entry.type,
      ...(entry.user !== undefined ? ['user', entry.user] : []),
      ...(entry.step !== undefined ? ['step', entry.step] : []),
      'detail',
      JSON.stringify(entry.detail ?? {}),
    ];
    return (await this.redis.xadd(this.key, '*', ...fields)) as string;
  }

  /**
   * The latest `count` entries (of one run when `runId` is given), oldest first. Reads backwards
   * in pages, so filtering by run costs only as much of the stream as it needs.
   */
  async read(opts: { count?: number; runId?: string } = {}): Promise<AuditEntry[]> {
    const count = opts.count ?? 100;
    const out: AuditEntry[] = [];
    let end = '+';
    while (out.length < count) {
      const rows = await this.redis.xrevrange(this.key, end, '-', 'COUNT', PAGE);
      for (const [id, fields] of rows) {
        const entry = parse(id, fields);
        if (!opts.runId || entry.run === opts.runId) out.push(entry);
        if (out.length >= count) break;
      }
      const last = rows[rows.length - 1];
      if (rows.length < PAGE || !last) break;
      end = `(${last[0]}`; // exclusive: continue just before the oldest entry seen
    }
    return out.reverse();
  }
}

function parse(id: string, fields: string[]): AuditEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
  return {
    id,
    at: Number(f.at),
    run: f.run ?? '',
    runbook: f.runbook ?? '',
    type: f.type ?? '',
    ...(f.user !== undefined ? { user: f.user } : {}),
    ...(f.step !== undefined ? { step: f.step } : {}),
    detail: f.detail ? (JSON.parse(f.detail) as Record<string, unknown>) : {},
  };
}
