import { errors, type Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SimCluster } from '../../../src/sim/es/index.js';
import { cluster, GB, nodes, serve } from './fixtures.js';

let c: SimCluster;
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  c = cluster({
    nodes: nodes(3),
    indices: [{ name: 'unittest20160101_000000', shards: 3, replicas: 1, bytesPerShard: GB, aliases: ['unittest'] }],
  });
  ({ client, close } = await serve(c));
});
afterAll(async () => close());

async function failure(p: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(errors.ResponseError);
  const meta = (e as errors.ResponseError).meta;
  return { status: meta.statusCode as number, body: meta.body as Record<string, unknown> };
}

describe('the official client against the simulator: indices and aliases', () => {
  test('create an index (ActiveData style: dated name, then aliased); it is allocated and green', async () => {
    const created = await client.indices.create({
      index: 'jobs20160105_120000',
      settings: { number_of_shards: 5, number_of_replicas: 1 },
      aliases: { jobs: {} },
    });
    expect(created).toEqual({ acknowledged: true, shards_acknowledged: true, index: 'jobs20160105_120000' });
    expect(await client.indices.exists({ index: 'jobs20160105_120000' })).toBe(true);
    expect(await client.indices.exists({ index: 'jobs20990101_000000' })).toBe(false);
    expect(await client.cluster.health({ index: 'jobs' })).toMatchObject({
      status: 'green',
      active_primary_shards: 5,
      active_shards: 10,
    });
    const again = await failure(client.indices.create({ index: 'jobs20160105_120000' }));
    expect(again.status).toBe(400);
    expect(again.body.error as { type: string; reason: string }).toMatchObject({
      type: 'resource_already_exists_exception',
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types its asymmetric matchers as any
      reason: expect.stringMatching(/^index \[jobs20160105_120000\/[\w-]{22}\] already exists$/),
    });
    const badName = await failure(client.indices.create({ index: 'Jobs' }));
    expect(badName.body.error).toMatchObject({
      type: 'invalid_index_name_exception',
      reason: 'Invalid index name [Jobs], must be lowercase',
    });
  });

  test('aliases: put, get in ES shapes, update with actions, 404 for a missing one', async () => {
    await client.indices.create({
      index: 'perf20160105_000000',
      settings: { index: { number_of_shards: 1, number_of_replicas: 0 } },
    });
    expect(await client.indices.putAlias({ index: 'perf20160105_000000', name: 'perf' })).toEqual({
      acknowledged: true,
    });
    expect(await client.indices.getAlias({ name: 'perf' })).toEqual({ perf20160105_000000: { aliases: { perf: {} } } });
    expect(await client.indices.getAlias({ index: 'unittest' })).toEqual({
      unittest20160101_000000: { aliases: { unittest: {} } },
    });
    const everything = await client.indices.getAlias();
    expect(everything.unittest20160101_000000).toEqual({ aliases: { unittest: {} } });

    await client.indices.create({
      index: 'perf20160106_000000',
      settings: { number_of_shards: 1, number_of_replicas: 0 },
    });
    const moved = await client.indices.updateAliases({
      actions: [
        { remove: { index: 'perf20160105_000000', alias: 'perf' } },
        { add: { index: 'perf20160106_000000', alias: 'perf' } },
      ],
    });
    expect(moved).toMatchObject({ acknowledged: true });
    expect(Object.keys(await client.indices.getAlias({ name: 'perf' }))).toEqual(['perf20160106_000000']);
    // Multiple table instances without an alias are listed with an empty one.
    expect((await client.indices.getAlias()).perf20160105_000000).toEqual({ aliases: {} });

    const missing = await failure(client.indices.getAlias({ name: 'nothing' }));
    expect(missing).toEqual({ status: 404, body: { error: 'alias [nothing] missing', status: 404 } });
    expect(await client.indices.existsAlias({ name: 'perf' })).toBe(true);
    expect(await client.indices.existsAlias({ name: 'nothing' })).toBe(false);
  });

  test('delete an index; unknown indices are 404 index_not_found_exception; wildcards may not be deleted', async () => {
    await client.indices.create({ index: 'scratch20160101_000000', settings: { number_of_shards: 2 } });
    expect(await client.indices.delete({ index: 'scratch20160101_000000' })).toEqual({ acknowledged: true });
    const gone = await failure(client.indices.delete({ index: 'scratch20160101_000000' }));
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      error: {
        root_cause: [
          {
            type: 'index_not_found_exception',
            reason: 'no such index [scratch20160101_000000]',
            'resource.type': 'index_or_alias',
            'resource.id': 'scratch20160101_000000',
            index_uuid: '_na_',
            index: 'scratch20160101_000000',
          },
        ],
        type: 'index_not_found_exception',
        reason: 'no such index [scratch20160101_000000]',
        'resource.type': 'index_or_alias',
        'resource.id': 'scratch20160101_000000',
        index_uuid: '_na_',
        index: 'scratch20160101_000000',
      },
      status: 404,
    });
    expect((await failure(client.cat.indices({ index: 'scratch20160101_000000' }))).status).toBe(404);
    expect((await failure(client.indices.delete({ index: 'unittest*' }))).body.error).toMatchObject({
      type: 'illegal_argument_exception',
    });
    expect(c.state.indices.has('unittest20160101_000000')).toBe(true);
  });
});
