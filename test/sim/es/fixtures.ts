import { Client, errors } from '@elastic/elasticsearch';
import { expect } from 'vitest';
import {
  SimCluster,
  startEsSimulator,
  type EsSimulator,
  type SimIndexSpec,
  type SimNodeSpec,
} from '../../../src/sim/es/index.js';

export const MB = 1024 ** 2;
export const GB = 1024 ** 3;
export const TB = 1024 ** 4;

/** ES's default indices.recovery.max_bytes_per_sec. */
export const DEFAULT_RATE = 40 * MB;

export function nodeSpec(n: number, zone = 'primary', diskTotalBytes = 1000 * GB): SimNodeSpec {
  return { name: `node-${n}`, ip: `172.31.0.${n}`, zone, diskTotalBytes };
}

/** Nodes node-1..node-count at 172.31.0.1..count, zones cycling primary/secondary/spot. */
export function nodes(count: number, diskTotalBytes = 1000 * GB): SimNodeSpec[] {
  const zones = ['primary', 'secondary', 'spot'];
  return Array.from({ length: count }, (_, i) => nodeSpec(i + 1, zones[i % 3], diskTotalBytes));
}

export function cluster(opts: { nodes: SimNodeSpec[]; indices: SimIndexSpec[]; seed?: number }): SimCluster {
  return new SimCluster({ ...opts, epochMs: Date.UTC(2016, 0, 5) });
}

/** A simulator without automatic ticks (tests move time) and a client that does not retry. */
export async function serve(c: SimCluster): Promise<{ es: EsSimulator; client: Client; close: () => Promise<void> }> {
  const es = await startEsSimulator({ cluster: c, tickMs: 0 });
  const client = new Client({ node: es.url, maxRetries: 0, requestTimeout: 5000 });
  return {
    es,
    client,
    close: async () => {
      await client.close();
      await es.close();
    },
  };
}

/** Every shard group's copies, for invariant checks. */
export function allCopies(c: SimCluster) {
  return [...c.state.indices.values()].flatMap((m) => m.groups.flatMap((g) => g.copies));
}

/** Advances in steps until the predicate holds (simulated time only), or fails. */
export function advanceUntil(c: SimCluster, done: () => boolean, stepMs: number, maxSteps = 10_000): number {
  for (let i = 0; i < maxSteps; i++) {
    if (done()) return i;
    c.advance(stepMs);
  }
  throw new Error(`condition not reached after ${maxSteps} steps of ${stepMs} ms`);
}

/** The status and `error` object of a request that must fail with an ES error response. */
export async function esError(
  p: Promise<unknown>,
): Promise<{ status: number; error: { type: string; reason: string } }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(errors.ResponseError);
  const meta = (e as errors.ResponseError).meta;
  return { status: meta.statusCode as number, error: (meta.body as { error: { type: string; reason: string } }).error };
}
