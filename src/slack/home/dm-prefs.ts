import type { Redis } from 'ioredis';

/** Whether a person gets a DM with the card when their approval is asked (on unless they turned it off). */
export interface DmPrefs {
  wantsDm(user: string): Promise<boolean>;
  setDm(user: string, on: boolean): Promise<void>;
}

/** One Redis hash, user → 'off' (absent: on), shared by every web and worker process. */
export class RedisDmPrefs implements DmPrefs {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async wantsDm(user: string): Promise<boolean> {
    return (await this.redis.hget(this.key, user)) !== 'off';
  }

  async setDm(user: string, on: boolean): Promise<void> {
    if (on) await this.redis.hdel(this.key, user);
    else await this.redis.hset(this.key, user, 'off');
  }
}
