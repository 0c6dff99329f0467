import type { NodeIndexShards, NodeShardsReport } from '../../runbooks/index.js';
import { formatBytes } from '../../format.js';
import { alignColumns, codeTable, context, header, section, type SlackMessage } from './blocks.js';

/** A phone screen's worth of indices on the card; the whole table goes to the thread as a snippet. */
export const INDICES_SHOWN = 15;

/** "0,3,5" or "0,3,5 … (12)": the shard numbers of the primaries, bounded. */
function primaryList(r: NodeIndexShards): string {
  if (!r.primaryShards.length) return '-';
  const shown = r.primaryShards.slice(0, 6).join(',');
  return r.primaryShards.length > 6 ? `${shown} … (${r.primaryShards.length})` : shown;
}

const moving = (r: NodeIndexShards) =>
  Object.entries(r.notStarted)
    .map(([state, n]) => `${n} ${state.toLowerCase()}`)
    .join(', ') || '-';

/** The table, aligned: one line per index, largest first. */
export function shardLines(indices: NodeIndexShards[]): string[] {
  return alignColumns([
    ['index', 'pri', 'rep', 'size', 'primaries (shard #)', 'not started'],
    ...indices.map((r) => [
      r.index,
      String(r.primaries),
      String(r.replicas),
      formatBytes(r.bytes),
      primaryList(r),
      moving(r),
    ]),
  ]);
}

/** `/es shards NODE`: what the node holds, by index; `more` says where the rest of a long table went. */
export function shardsView(report: NodeShardsReport, more?: 'thread' | 'unavailable'): SlackMessage {
  const { cluster, node, indices } = report;
  const summary =
    `*${report.copies}* shard copies of *${indices.length}* indices, ` +
    `*${report.primaries}* of them primaries, ${formatBytes(report.bytes)} on disk`;
  const shown = indices.slice(0, INDICES_SHOWN);
  const left = indices.length - shown.length;
  const rest =
    left <= 0
      ? []
      : [
          context(
            more === 'thread'
              ? `… and ${left} more indices: the whole table is in the thread.`
              : `… and ${left} more indices (the bot could not share the whole table as a file here).`,
          ),
        ];
  return {
    text: `${node} on ${cluster}: ${report.copies} shard copies, ${formatBytes(report.bytes)}`,
    blocks: [
      header(`${node} on ${cluster}: shards`),
      section(indices.length ? summary : `*${node}* holds no shard copy: it is empty.`),
      ...(indices.length ? codeTable(shardLines(shown), 2) : []),
      ...rest,
      context(
        'pri/rep: primary and replica copies on this node · `/es explain INDEX SHARD` says why a copy is where it is',
      ),
    ],
  };
}
