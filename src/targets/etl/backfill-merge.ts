import { compareKeys, keyPages, type Buckets } from '../s3/index.js';

/**
 * Where a backfill's comparison stands: all it needs to go on after a restart (the listings start
 * again after `source` and `destination`). Small whatever the buckets hold: `open` is a chain of
 * keys each a prefix of the next, so it is never longer than the longest key.
 */
export interface MergeCursor {
  /** The last source key compared ('' before the first). */
  source: string;
  destination: string;
  /** Source keys whose verdict waits for later destination keys (each a prefix of the next). */
  open: { key: string; done: boolean }[];
  /** Source keys compared so far. */
  listed: number;
  destinationListed: number;
  /** Source keys found missing so far (handed out by next()). */
  missing: number;
  /** Both listings ended and every verdict was given. */
  finished: boolean;
}

export const startCursor = (): MergeCursor => ({
  source: '',
  destination: '',
  open: [],
  listed: 0,
  destinationListed: 0,
  missing: 0,
  finished: false,
});

/** How the ETL names its output (FACTS): a source key `tc.1` becomes `tc.1:1001.1`, `tc.1.2`... */
const PART_SEPARATORS = new Set(['.', ':']);

/** True when destination key `d` (which starts with `s`) is made from source key `s`. */
const covers = (d: string, s: string) => d.length === s.length || PART_SEPARATORS.has(d[s.length]!);

class PagedKeys {
  private page: string[] = [];
  private at = 0;
  private ended = false;
  constructor(private readonly pages: AsyncGenerator<string[], void, undefined>) {}

  /** The next key without taking it; undefined once the listing ended. */
  async peek(): Promise<string | undefined> {
    while (this.at >= this.page.length && !this.ended) {
      const n = await this.pages.next();
      if (n.done) this.ended = true;
      else [this.page, this.at] = [n.value, 0];
    }
    return this.ended && this.at >= this.page.length ? undefined : this.page[this.at];
  }

  take(): void {
    this.at++;
  }

  async close(): Promise<void> {
    await this.pages.return(undefined);
  }
}

/**
 * The backfill's question (FACTS: which keys of the source has the destination not got?) as a
 * merge of the two listings in S3's order, in constant memory. A source key is done when some
 * destination key is made from it; every key with a given prefix sorts together, so the source
 * keys still waiting for their verdict are always a chain of prefixes of the current key.
 * Missing keys come out as their verdict is known, which is not always key order (`tc.10` is
 * known before `tc.1`, whose outputs `tc.1:…` sort after `tc.19`): the cursor, not the key, says
 * how far the comparison got.
 */
export class BackfillMerge {
  private readonly c: MergeCursor;
  private src?: PagedKeys;
  private dst?: PagedKeys;

  constructor(
    private readonly buckets: Buckets,
    private readonly source: string,
    private readonly destination: string,
    from: MergeCursor = startCursor(),
    private readonly opts: { pageSize?: number; settings?: { source: string; destination: string } } = {},
  ) {
    this.c = copy(from);
  }

  /** A copy of where the comparison stands: the keys handed out so far are behind it. */
  cursor(): MergeCursor {
    return copy(this.c);
  }

  /**
   * The next missing source key; undefined when both listings are done (`cursor().finished`), or
   * when `pause()` said so (asked every thousand keys, so a long stretch without a missing key
   * still lets the caller save the cursor and report progress).
   */
  async next(pause?: () => boolean): Promise<string | undefined> {
    const c = this.c;
    if (c.finished) return undefined;
    this.src ??= this.open(this.source, c.source, this.opts.settings?.source);
    this.dst ??= this.open(this.destination, c.destination, this.opts.settings?.destination);
    for (let n = 1; ; n++) {
      if (pause && n % 1000 === 0 && pause()) return undefined;
      const [s, d] = await Promise.all([this.src.peek(), this.dst.peek()]);
      const fromSource = s !== undefined && (d === undefined || compareKeys(s, d) <= 0);
      const key = fromSource ? s : d;
      const top = c.open[c.open.length - 1];
      if (top && (key === undefined || !key.startsWith(top.key))) {
        // Nothing from here on can be made from `top`: its verdict is in.
        c.open.pop();
        if (top.done) continue;
        c.missing++;
        return top.key;
      }
      if (key === undefined) {
        c.finished = true;
        return undefined;
      }
      if (fromSource) {
        this.src.take();
        c.source = key;
        c.listed++;
        c.open.push({ key, done: false });
      } else {
        this.dst.take();
        c.destination = key;
        c.destinationListed++;
        for (const o of c.open) if (!o.done && covers(key, o.key)) o.done = true;
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.src?.close(), this.dst?.close()]);
  }

  private open(bucket: string, after: string, setting?: string): PagedKeys {
    return new PagedKeys(
      keyPages(this.buckets, bucket, {
        ...(after ? { startAfter: after } : {}),
        ...(this.opts.pageSize ? { pageSize: this.opts.pageSize } : {}),
        ...(setting ? { setting } : {}),
      }),
    );
  }
}

const copy = (c: MergeCursor): MergeCursor => ({ ...c, open: c.open.map((o) => ({ ...o })) });
