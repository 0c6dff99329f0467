import { describe, expect, test } from 'vitest';
import { lastCopiesOn, type ShardCopyRow } from '../../src/targets/elasticsearch/shard-copies.js';

const copy = (shard: string, primary: boolean, state: string, node?: string, relocatingTo?: string): ShardCopyRow => ({
  index: 'logs',
  shard,
  primary,
  state,
  ...(node ? { node } : {}),
  ...(relocatingTo ? { relocatingTo } : {}),
});

/** I1's gate: which shards would have no active copy left if these nodes stopped now. */
describe('the last active copies on nodes about to stop', () => {
  test('a copy elsewhere keeps a shard safe; a replica still initializing does not', () => {
    const rows = [
      copy('0', true, 'STARTED', 'node-1'),
      copy('0', false, 'STARTED', 'node-2'),
      copy('1', true, 'STARTED', 'node-1'),
      copy('1', false, 'INITIALIZING', 'node-3'),
      copy('2', true, 'STARTED', 'node-2'),
    ];
    expect(lastCopiesOn(rows, ['node-1'])).toEqual([{ index: 'logs', shard: '1' }]);
    expect(lastCopiesOn(rows, ['node-1', 'node-2'])).toEqual([
      { index: 'logs', shard: '0' },
      { index: 'logs', shard: '1' },
      { index: 'logs', shard: '2' },
    ]);
  });

  test('a copy relocating onto the node counts as the node’s: when the move ends, its source is gone', () => {
    // Chaos seed 10159: a flooded disk sent the only copy (its replica unassigned) to the node
    // about to restart; the gate saw it on node-4, and the restart took it offline.
    const rows = [
      copy('1', true, 'RELOCATING', 'node-4', 'node-1'),
      copy('1', true, 'INITIALIZING', 'node-1'),
      copy('1', false, 'UNASSIGNED'),
    ];
    expect(lastCopiesOn(rows, ['node-1'])).toEqual([{ index: 'logs', shard: '1' }]);
    // Moving elsewhere, or with a started copy elsewhere, it is safe.
    expect(lastCopiesOn([copy('1', true, 'RELOCATING', 'node-4', 'node-2')], ['node-1'])).toEqual([]);
    expect(lastCopiesOn([...rows, copy('1', false, 'STARTED', 'node-5')], ['node-1'])).toEqual([]);
  });
});
