import type { IndicesHealthReport, UnhealthyIndex } from '../../runbooks/index.js';

type HealthSummary = IndicesHealthReport['health'];
import { alignColumns, codeTable, context, escapeMrkdwn, header, section, type SlackMessage } from './blocks.js';

/** Indices listed on the card: a phone screen; the whole list goes to the thread as a snippet. */
export const UNHEALTHY_SHOWN = 15;

const ICON: Record<string, string> = {
  green: ':large_green_circle:',
  yellow: ':large_yellow_circle:',
  red: ':red_circle:',
};

/** ES's unassigned.reason codes in words (UnassignedInfo.Reason). */
const REASON_WORDS: Record<string, string> = {
  INDEX_CREATED: 'index just created',
  CLUSTER_RECOVERED: 'cluster restarted',
  INDEX_REOPENED: 'index reopened',
  DANGLING_INDEX_IMPORTED: 'dangling index imported',
  NEW_INDEX_RESTORED: 'restored from a snapshot',
  EXISTING_INDEX_RESTORED: 'restored from a snapshot',
  REPLICA_ADDED: 'replica added',
  ALLOCATION_FAILED: 'allocation failed',
  NODE_LEFT: 'its node left',
  NODE_RESTARTING: 'its node is restarting',
  REROUTE_CANCELLED: 'move cancelled',
  REINITIALIZED: 'reinitialized',
  REALLOCATED_REPLICA: 'replica moved to a better node',
  PRIMARY_FAILED: 'its primary failed',
  FORCED_EMPTY_PRIMARY: 'empty primary forced',
  MANUAL_ALLOCATION: 'allocated by hand',
  INDEX_CLOSED: 'index closed',
};

const why = (i: UnhealthyIndex) =>
  Object.entries(i.reasons)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `${REASON_WORDS[r] ?? r.toLowerCase()} (${n})`)
    .join(', ') || (i.initializing ? 'copies starting' : '-');

/** The table, aligned: one line per red or yellow index, worst first. */
export function unhealthyLines(indices: UnhealthyIndex[]): string[] {
  return alignColumns([
    ['index', 'health', 'unassigned pri/rep', 'starting', 'why'],
    ...indices.map((i) => [
      i.index,
      i.status,
      `${i.unassignedPrimaries}/${i.unassignedReplicas}`,
      String(i.initializing),
      why(i),
    ]),
  ]);
}

function counts(h: HealthSummary): string {
  return (
    `*${h.nodes}* nodes (${h.dataNodes} data) · *${h.activeShards}* active shards ` +
    `(${h.activePrimaryShards} primaries) · ${h.relocating} relocating · ${h.initializing} initializing · ` +
    `*${h.unassigned}* unassigned · ${h.pendingTasks} pending tasks`
  );
}

/** `/es health`: the status and its counts, and what `--indices` adds. */
export function healthView(cluster: string, h: HealthSummary): SlackMessage {
  return {
    text: `${cluster} is ${h.status}: ${h.unassigned} unassigned shards`,
    blocks: [
      section(`${ICON[h.status] ?? ''} *${escapeMrkdwn(cluster)}* is *${h.status}*\n${counts(h)}`),
      context(
        h.status === 'green'
          ? 'Every copy is assigned · `/es status` shows each node'
          : '`/es health --indices` lists the red and yellow indices and why · `/es status` shows each node',
      ),
    ],
  };
}

/**
 * `/es health --indices`: the red and yellow indices, worst first, each with why ES left copies
 * unassigned, and the allocation explanation of the worst one in a line. `more` says where the
 * rest of a long list went.
 */
export function indicesHealthView(r: IndicesHealthReport, more?: 'thread' | 'unavailable'): SlackMessage {
  const { cluster, health, indices } = r;
  if (!indices.length)
    return {
      text: `${cluster} is ${health.status}: no red or yellow index`,
      blocks: [
        section(
          `${ICON[health.status] ?? ''} *${escapeMrkdwn(cluster)}* is *${health.status}*: no red or yellow index`,
        ),
        context(counts(health)),
      ],
    };
  const red = indices.filter((i) => i.status === 'red').length;
  const shown = indices.slice(0, UNHEALTHY_SHOWN);
  const left = indices.length - shown.length;
  const worst = r.worst;
  const worstLine = worst
    ? `*Worst, ${escapeMrkdwn(`${worst.index}[${worst.shard}] ${worst.primary ? 'primary' : 'replica'}`)}*: ` +
      `${escapeMrkdwn(worst.summary)}` +
      (worst.nodes.some((n) => n.reasons.length)
        ? `\n${escapeMrkdwn(
            worst.nodes
              .filter((n) => n.reasons.length)
              .slice(0, 3)
              .map((n) => `${n.node}: ${n.reasons[0]}`)
              .join('; '),
          )}`
        : '')
    : undefined;
  return {
    text: `${cluster} is ${health.status}: ${red} red and ${indices.length - red} yellow indices`,
    blocks: [
      header(`${cluster}: red and yellow indices`),
      section(
        `${ICON[health.status] ?? ''} *${health.status}* · *${red}* red, *${indices.length - red}* yellow ` +
          `· ${health.unassigned} unassigned shards`,
      ),
      ...codeTable(unhealthyLines(shown), 2),
      ...(left > 0
        ? [
            context(
              more === 'thread'
                ? `… and ${left} more indices: the whole list is in the thread.`
                : `… and ${left} more indices (the bot could not share the whole list as a file here).`,
            ),
          ]
        : []),
      ...(worstLine ? [section(worstLine)] : []),
      context(
        red
          ? 'Red: a primary is unassigned, its data is not searchable and writes to it fail · ' +
              '`/es explain INDEX SHARD --primary` says why for one copy'
          : 'Yellow: every primary is assigned, some replicas are not · ' +
              '`/es explain INDEX SHARD` says why for one copy',
      ),
    ],
  };
}
