import { nodeOf, type ActiveRecovery, type RecoveryReport, type ThrottleRow } from '../../runbooks/index.js';
import { formatBytes } from '../../format.js';
import { alignColumns, codeTable, context, header, section, type Block, type SlackMessage } from './blocks.js';
import { slackTime } from './slack-time.js';

/** A phone screen's worth: past this the card says "and N more". */
export const RECOVERIES_SHOWN = 15;

const show = (v: string | undefined) => (v === undefined ? '-' : v === '' ? '""' : v);
const rate = (bytesPerSec: number | undefined) => (bytesPerSec === undefined ? '-' : `${formatBytes(bytesPerSec)}/s`);
const FROM: Record<ThrottleRow['from'], string> = {
  transient: '',
  persistent: '',
  node_concurrent_recoveries: ' (node_concurrent_recoveries)',
  default: ' (default)',
};

function throttleLines(rows: ThrottleRow[]): string[] {
  return alignColumns([
    ['setting', 'persistent', 'transient', 'effective'],
    ...rows.map((r) => [
      r.key.replace(/^cluster\.routing\.allocation\./, '…allocation.'),
      show(r.persistent),
      show(r.transient),
      show(r.effective) + FROM[r.from],
    ]),
  ]);
}

function recoveryLines(recoveries: ActiveRecovery[]): string[] {
  return alignColumns([
    ['shard', 'type', 'source → target', 'recovered / total', 'rate'],
    ...recoveries.map((r) => [
      `${r.index}[${r.shard}]`,
      r.type ?? '-',
      `${nodeOf(r.source) ?? '-'} → ${nodeOf(r.target) ?? '-'}`,
      `${formatBytes(r.bytesRecovered)} / ${formatBytes(r.bytesTotal)}`,
      rate(r.rate),
    ]),
  ]);
}

function nodeLines(report: RecoveryReport): string[] {
  return alignColumns([
    ['node', 'in', 'bytes in left', 'out', 'bytes out left'],
    ...report.nodes.map((n) => [
      n.node,
      String(n.incoming),
      formatBytes(n.bytesInLeft),
      String(n.outgoing),
      formatBytes(n.bytesOutLeft),
    ]),
  ]);
}

/** The longest recoveries first: what a drain waits on. */
const byBytesLeft = (a: ActiveRecovery, b: ActiveRecovery) =>
  b.bytesTotal - b.bytesRecovered - (a.bytesTotal - a.bytesRecovered);

/** /es recovery: the throttles in force, what is moving now, and each node's share of it. */
export function recoveryView(report: RecoveryReport, now = Date.now()): SlackMessage {
  const { cluster, recoveries } = report;
  const n = recoveries.length;
  const shown = [...recoveries].sort(byBytesLeft).slice(0, RECOVERIES_SHOWN);
  const moving: Block[] = n
    ? [
        section(`*Active recoveries* (${n}), average rate since each started`),
        ...codeTable(recoveryLines(shown), 2),
        ...(n > shown.length ? [context(`… and ${n - shown.length} more recoveries`)] : []),
        section('*Per node* (in: recoveries it receives, out: recoveries it sends)'),
        ...codeTable(nodeLines(report), 2),
      ]
    : [section('*No active recoveries*: no shard is moving now.')];
  return {
    text: `Cluster ${cluster}: ${n} active recover${n === 1 ? 'y' : 'ies'}`,
    blocks: [
      header(`${cluster}: recoveries`),
      section('*Recovery throttles* (transient wins over persistent)'),
      ...codeTable(throttleLines(report.throttles), 1),
      ...moving,
      context(`cluster ${cluster} · as of ${slackTime(now)} · \`/es status --cluster ${cluster}\` for the nodes`),
    ],
  };
}
