import { EsError } from './es-error.js';
import type { IndexMeta } from './types.js';

/**
 * Index blocks as ClusterBlocks reports them: `index.blocks.read_only` and `metadata` forbid
 * metadata writes (403), `read_only_allow_delete` (what the flood-stage watermark sets) answers 429.
 */
interface BlockDef {
  setting: string;
  status: number;
  id: string;
}

const METADATA_WRITE_BLOCKS: BlockDef[] = [
  { setting: 'index.blocks.read_only', status: 403, id: 'FORBIDDEN/5/index read-only (api)' },
  { setting: 'index.blocks.metadata', status: 403, id: 'FORBIDDEN/9/index metadata (api)' },
  {
    setting: 'index.blocks.read_only_allow_delete',
    status: 429,
    id: 'TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block',
  },
];

export const BLOCK_SETTINGS = METADATA_WRITE_BLOCKS.map((b) => b.setting);

/** ClusterBlocks.indicesBlockedException(METADATA_WRITE): the first blocked index, all of its blocks. */
export function checkMetadataWrite(metas: IndexMeta[]): void {
  for (const meta of metas) {
    const blocks = METADATA_WRITE_BLOCKS.filter((b) => meta.settings.get(b.setting) === 'true');
    if (blocks.length === 0) continue;
    const status = blocks.some((b) => b.status === 429) && blocks.every((b) => b.status === 429) ? 429 : 403;
    throw new EsError(
      status,
      'cluster_block_exception',
      `index [${meta.name}] blocked by: [${blocks.map((b) => b.id).join(', ')}];`,
    );
  }
}
