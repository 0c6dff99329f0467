import type { Redis } from 'ioredis';
import type { QueueDepth } from '../../targets/sqs/index.js';

/** A queue's depth when someone last looked (/etl status), to show the trend since. */
export interface QueueLook {
  visible: number;
  inFlight: number;
  at: number;
}

/** Remembers the last look at each queue; `swap` stores the new depths and returns the previous ones. */
export interface QueueLooks {
  swap(depths: QueueDepth[], at: number): Promise<Map<string, QueueLook>>;
}

/**
 * The looks in Redis (one hash), so the trend survives a restart and every web process agrees.
 * Losing it costs one "first look", nothing more.
 */
export class RedisQueueLooks implements QueueLooks {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async swap(depths: QueueDepth[], at: number): Promise<Map<string, QueueLook>> {
    const before = await this.redis.hgetall(this.key);
    const fresh = depths.filter((d) => d.exists);
    if (fresh.length)
      await this.redis.hset(
        this.key,
        Object.fromEntries(
          fresh.map((d) => [d.name, JSON.stringify({ visible: d.visible, inFlight: d.inFlight, at })]),
        ),
      );
    const out = new Map<string, QueueLook>();
    for (const [name, json] of Object.entries(before)) {
      try {
        out.set(name, JSON.parse(json) as QueueLook);
      } catch {
        /* a damaged entry is a first look */
      }
    }
    return out;
  }
}

/** In-process looks, for tools without Redis. */
export class MemoryQueueLooks implements QueueLooks {
  private readonly looks = new Map<string, QueueLook>();

  swap(depths: QueueDepth[], at: number): Promise<Map<string, QueueLook>> {
    const before = new Map(this.looks);
    for (const d of depths) if (d.exists) this.looks.set(d.name, { visible: d.visible, inFlight: d.inFlight, at });
    return Promise.resolve(before);
  }
}
