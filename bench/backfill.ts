import { parseEstate } from '../src/config/load-estate.js';
import { putKeysDirectly, startAwsStandIns } from '../src/sim/aws/index.js';
import { BackfillMerge, EtlTargets, startCursor } from '../src/targets/etl/index.js';

export interface BackfillRow {
  sourceKeys: number;
  destinationKeys: number;
  seedSeconds: number;
  missing: number;
  listSeconds: number;
  keysPerSecond: number;
  rssMbAfterSeed: number;
  rssMbPeakDuringMerge: number;
  rssMbAt: string;
}

const mb = (n: number) => Math.round(n / 1024 / 1024);

/**
 * The backfill's comparison over a stand-in of `n` source keys named as the ETL's pulse blocks
 * (`tc.1000000` …) and a destination holding the outputs (`tc.N:NNNNNNN.1`) of two thirds of them:
 * the listing rate through the SDK's paginator (fauxqs in this process), and the process's RSS,
 * sampled during the merge: it stays at what the seeded store costs.
 */
export async function measureBackfill(n: number): Promise<BackfillRow> {
  const aws = await startAwsStandIns();
  const t0 = performance.now();
  const ids = (f: (i: number) => string | undefined) =>
    (function* () {
      for (let i = 0; i < n; i++) {
        const k = f(i);
        if (k !== undefined) yield k;
      }
    })();
  putKeysDirectly(
    (b) => aws.fauxqs.createBucket(b),
    'ekyle-pulse-logger',
    ids((i) => `tc.${1_000_000 + i}`),
  );
  const destinationKeys = putKeysDirectly(
    (b) => aws.fauxqs.createBucket(b),
    'ekyle-test-result',
    ids((i) => (i % 3 ? `tc.${1_000_000 + i}:${(1_000_000 + i) * 10}.1` : undefined)),
  );
  const seedSeconds = (performance.now() - t0) / 1000;
  global.gc?.();
  const rssAfterSeed = process.memoryUsage().rss;
  const etl = new EtlTargets(
    parseEstate({ defaultCluster: 'x', clusters: { x: { url: 'http://127.0.0.1:9' } }, aws: aws.estateAws }, 'bench'),
    aws.env,
  );
  try {
    const merge = new BackfillMerge(etl.buckets, 'ekyle-pulse-logger', 'ekyle-test-result', startCursor());
    let peak = 0;
    const at: string[] = [];
    const t1 = performance.now();
    let missing = 0;
    for (let k = await merge.next(); k !== undefined; k = await merge.next()) {
      if (++missing % 20_000 === 0) {
        const rss = process.memoryUsage().rss;
        peak = Math.max(peak, rss);
        at.push(`${(merge.cursor().listed / 1e6).toFixed(1)}M:${mb(rss)}`);
      }
    }
    const listSeconds = (performance.now() - t1) / 1000;
    await merge.close();
    return {
      sourceKeys: n,
      destinationKeys,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      missing,
      listSeconds: Math.round(listSeconds * 10) / 10,
      keysPerSecond: Math.round((n + destinationKeys) / listSeconds),
      rssMbAfterSeed: mb(rssAfterSeed),
      rssMbPeakDuringMerge: mb(peak),
      rssMbAt: at.filter((_, i) => i % 4 === 0).join(' '),
    };
  } finally {
    etl.close();
    await aws.close();
  }
}
