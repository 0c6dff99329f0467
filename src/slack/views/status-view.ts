import type { ClusterStatusReport, NodeRow } from '../../runbooks/index.js';
import { alignColumns, codeTable, context, divider, fields, header, type SlackMessage } from './blocks.js';
import { formatBytes, utcTime } from '../../format.js';
import { healthEmoji } from './format.js';
import { settingsBlocks } from './settings-view.js';

/** A node is "reliable" unless its zone attribute says spot (FACTS: zones primary, secondary, spot). */
function zoneLabel(n: NodeRow): string {
  if (!n.zone) return '-';
  return n.zone === 'spot' ? 'spot' : `${n.zone} (reliable)`;
}

function nodeLines(nodes: NodeRow[]): string[] {
  const rows = [['node', 'ip', 'zone', 'shards', 'disk used', 'free', 'excluded']];
  for (const n of nodes) {
    rows.push([
      n.name,
      n.ip,
      zoneLabel(n),
      String(n.shards),
      n.diskPercent === undefined
        ? formatBytes(n.diskUsedBytes)
        : `${formatBytes(n.diskUsedBytes)} (${n.diskPercent}%)`,
      formatBytes(n.diskAvailBytes),
      n.excludedBy.length ? `yes: ${n.excludedBy.join(', ')}` : 'no',
    ]);
  }
  return alignColumns(rows);
}

/** /es status: health, shard states, every node, and the allocation settings with override warnings. */
export function statusView(report: ClusterStatusReport, now = Date.now()): SlackMessage {
  const { cluster, status: s } = report;
  const h = s.health;
  const excluded = s.nodes.filter((n) => n.excludedBy.length).length;
  const text =
    `Cluster ${cluster} (${h.clusterName}) is ${h.status}: ${h.nodes} nodes, ${h.relocating} relocating, ` +
    `${h.initializing} initializing, ${h.unassigned} unassigned shards`;
  const blocks = [
    header(`${cluster}: ${h.clusterName} is ${h.status.toUpperCase()}`),
    fields([
      `*Health*\n${healthEmoji(h.status)} ${h.status}`,
      `*Nodes*\n${h.nodes} (${h.dataNodes} data${excluded ? `, ${excluded} excluded` : ''})`,
      `*Active shards*\n${h.activeShards} (${h.activePrimaryShards} primaries)`,
      `*Relocating*\n${h.relocating}`,
      `*Initializing*\n${h.initializing}`,
      `*Unassigned*\n${h.unassigned}`,
    ]),
    ...codeTable(nodeLines(s.nodes)),
    divider(),
    ...settingsBlocks(report.settings),
    context(
      `as of ${utcTime(now)} · \`/es settings --cluster ${cluster}\` for settings only · \`/es help\` for commands`,
    ),
  ];
  return { text, blocks };
}
