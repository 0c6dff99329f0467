/**
 * Seeded pseudo-random numbers (mulberry32): the simulator must give the same cluster and the
 * same history for the same seed, so nothing here may touch Math.random.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Mix the seed once so that seeds 1, 2, 3 do not start with correlated outputs.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** A stable string hash (FNV-1a), used to derive ids that look random but never change. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A 22-character id in the URL-safe base64 alphabet ES uses for node and index UUIDs. */
export function esStyleId(seedText: string): string {
  const rng = new Rng(hashString(seedText));
  let id = '';
  for (let i = 0; i < 22; i++) id += ID_ALPHABET[rng.int(0, 63)];
  return id;
}
