import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { SimCluster, startEsSimulator, type EsSimulator } from '../../../src/sim/es/index.js';
import { nodes, GB } from './fixtures.js';
import { loadSuite, runnerSkip, runTest, type YamlTest } from './yaml-rest/yaml-runner.js';

/**
 * Elastic's YAML REST tests for the endpoints the simulator serves (see yaml-rest/manifest.yaml):
 * each test runs against a fresh three-node simulated cluster holding one green index.
 */
const here = join(dirname(fileURLToPath(import.meta.url)), 'yaml-rest');
const manifest = parse(readFileSync(join(here, 'manifest.yaml'), 'utf8')) as {
  run: string[];
  skip: Record<string, Record<string, string>>;
};

let es: EsSimulator | null = null;
afterEach(async () => {
  await es?.close();
  es = null;
});

async function fresh(): Promise<string> {
  const cluster = new SimCluster({
    nodes: nodes(3, 100 * GB),
    indices: [{ name: 'seed', shards: 2, replicas: 1, bytesPerShard: GB }],
    epochMs: Date.UTC(2016, 0, 5),
  });
  es = await startEsSimulator({ cluster, tickMs: 0 });
  return es.url;
}

for (const file of manifest.run) {
  const { tests, fileSkip } = loadSuite(join(here, file), file);
  describe(file, () => {
    for (const t of tests) {
      const why = fileSkip ?? manifest.skip[file]?.[t.name] ?? runnerSkip(t);
      if (why) test.skip(`${t.name} (skipped: ${why})`, () => {});
      else test(t.name, async () => runTest(await fresh(), t, file.startsWith('rest-api-spec/')));
    }
  });
}

describe('the YAML runner itself', () => {
  const failing = (steps: YamlTest['steps']): YamlTest => ({
    file: 'self',
    name: 'self',
    setup: [],
    teardown: [],
    steps,
  });
  test('a wrong expectation fails, so a passing file means the simulator answered as ES does', async () => {
    const url = await fresh();
    await expect(
      runTest(url, failing([{ do: { 'cluster.health': {} } }, { match: { status: 'red' } }])),
    ).rejects.toThrow(/\[status\] is "green", expected "red"/);
    await expect(runTest(url, failing([{ do: { 'indices.delete': { index: 'nope' } } }]))).rejects.toThrow(
      /answered 404/,
    );
    await expect(
      runTest(url, failing([{ do: { catch: 'missing', 'indices.create': { index: 'x' } } }])),
    ).rejects.toThrow(/expected \[missing\]/);
    await expect(runTest(url, failing([{ do: { 'cluster.state': {} } }]))).rejects.toThrow(/not served/);
    // An unexpected deprecation warning fails too, as in ES's runner.
    await expect(
      runTest(
        url,
        failing([
          { do: { 'cluster.put_settings': { body: { transient: { 'cluster.routing.allocation.enable': 'all' } } } } },
        ]),
      ),
    ).rejects.toThrow(/unexpected warning/);
  });
});
