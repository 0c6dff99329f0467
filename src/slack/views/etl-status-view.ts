import { utcTime } from '../../format.js';
import { scrubSecrets } from '../../log.js';
import type { EtlFleet, EtlPhase, EtlStatus, QueueDepth, QueueLook, SpotManagerPart } from '../../runbooks/index.js';
import {
  alignColumns,
  codeTable,
  context,
  divider,
  escapeMrkdwn,
  fields,
  header,
  section,
  type Block,
  type SlackMessage,
} from './blocks.js';
import { lastRunFields, logLine, perHour } from './etl-format.js';

const PHASE_LABEL: Record<EtlPhase, string> = {
  requested: 'Requested',
  pending: 'Pending',
  running: 'Running',
  setup: 'Set up',
  terminating: 'Terminating',
};
/** Instance rows shown before the table is cut short (the counts above are complete). */
const MAX_ROWS = 25;

const failed = (what: string, error: string): Block => section(`:x: *${what}*: ${escapeMrkdwn(scrubSecrets(error))}`);

function spotManagerBlocks(p: SpotManagerPart, now: number): Block[] {
  const blocks: Block[] = [];
  if (p.cron.ok) {
    blocks.push(
      section(
        p.cron.value.enabled
          ? `*SpotManager* on ${escapeMrkdwn(p.where)}: :large_green_circle: *enabled* ` +
              `(its ETL line runs from ${escapeMrkdwn(p.cron.value.where)})`
          : `*SpotManager* on ${escapeMrkdwn(p.where)}: :red_circle: *stopped* ` +
              `(its ETL line is disabled in ${escapeMrkdwn(p.cron.value.where)})`,
      ),
    );
  } else {
    blocks.push(failed('SpotManager cron', p.cron.error));
  }
  const items = [`*Budget*\n${p.budget.ok ? perHour(p.budget.value) : ':x: unreadable'}`];
  if (p.lastRun.ok) items.push(...lastRunFields(p.lastRun.value, now));
  blocks.push(fields(items));
  if (!p.budget.ok) blocks.push(failed('ETL settings', p.budget.error));
  if (!p.lastRun.ok) blocks.push(failed('SpotManager log', p.lastRun.error));
  const trouble = p.lastRun.ok ? (p.lastRun.value?.trouble ?? []) : [];
  if (trouble.length) {
    blocks.push(
      section(
        `:warning: *Trouble in its last run*\n${trouble
          .slice(-5)
          .map((e) => logLine(e))
          .join('\n')}`,
      ),
    );
  }
  return blocks;
}

function fleetBlocks(f: EtlFleet, instanceName: string): Block[] {
  const phases: EtlPhase[] = [
    'requested',
    'pending',
    'running',
    'setup',
    ...(f.counts.terminating ? ['terminating' as const] : []),
  ];
  const blocks: Block[] = [
    section(`*ETL instances* (Name starts with "${escapeMrkdwn(instanceName)}")`),
    fields([
      ...phases.map((p) => `*${PHASE_LABEL[p]}*\n${f.counts[p]}`),
      `*Cost now*\n${perHour(f.hourlyCost)} (bids ${perHour(f.exposure)})`,
    ]),
  ];
  if (f.members.length) {
    const rows = [['id', 'type', 'zone', 'state', 'price', 'bid']];
    for (const m of f.members.slice(0, MAX_ROWS)) {
      rows.push([
        m.id,
        m.type,
        m.zone ?? '-',
        PHASE_LABEL[m.phase].toLowerCase(),
        m.pricePerHour !== undefined ? `$${m.pricePerHour}` : '-',
        m.bid !== undefined ? `$${m.bid}` : '-',
      ]);
    }
    blocks.push(...codeTable(alignColumns(rows), 2));
    if (f.members.length > MAX_ROWS) blocks.push(context(`… and ${f.members.length - MAX_ROWS} more`));
  }
  return blocks;
}

/** "↑ +20 since 14:02:00 UTC", "= since …", or "first look". */
export function trend(d: QueueDepth, prev: QueueLook | undefined): string {
  if (!d.exists) return 'does not exist';
  if (!prev) return 'first look';
  const delta = d.visible + d.inFlight - (prev.visible + prev.inFlight);
  const arrow = delta > 0 ? `↑ +${delta}` : delta < 0 ? `↓ ${delta}` : '= no change';
  return `${arrow} since ${utcTime(prev.at)}`;
}

function queueBlocks(queues: { depth: QueueDepth; previous?: QueueLook }[]): Block[] {
  const rows = [['queue', 'visible', 'in flight', 'trend']];
  for (const { depth, previous } of queues) {
    rows.push([
      depth.name,
      depth.exists ? String(depth.visible) : '-',
      depth.exists ? String(depth.inFlight) : '-',
      trend(depth, previous),
    ]);
  }
  return [section('*ETL queues*'), ...codeTable(alignColumns(rows), 1)];
}

function headline(s: EtlStatus): string {
  const parts: string[] = [];
  if (s.spotManager.ok && s.spotManager.value.cron.ok)
    parts.push(s.spotManager.value.cron.value.enabled ? 'SpotManager enabled' : 'SpotManager STOPPED');
  if (s.fleet.ok) {
    const c = s.fleet.value.counts;
    parts.push(`${c.setup} set up, ${c.requested + c.pending + c.running} coming up`);
  }
  if (s.queues.ok) {
    const work = s.queues.value.find((q) => q.depth.exists);
    if (work) parts.push(`${work.depth.visible} queued in ${work.depth.name}`);
  }
  return parts.length ? `ETL: ${parts.join(' · ')}` : 'ETL status';
}

/** /etl status: SpotManager, the fleet by phase and the queues, each part on its own when another fails. */
export function etlStatusView(s: EtlStatus): SlackMessage {
  const blocks: Block[] = [header(headline(s))];
  blocks.push(
    ...(s.spotManager.ok ? spotManagerBlocks(s.spotManager.value, s.at) : [failed('SpotManager', s.spotManager.error)]),
  );
  blocks.push(
    divider(),
    ...(s.fleet.ok ? fleetBlocks(s.fleet.value, s.instanceName) : [failed('ETL instances (EC2)', s.fleet.error)]),
  );
  blocks.push(divider(), ...(s.queues.ok ? queueBlocks(s.queues.value) : [failed('ETL queues (SQS)', s.queues.error)]));
  blocks.push(context(`as of ${utcTime(s.at)} · \`/spot log\` for SpotManager's log · \`/etl budget\` for the budget`));
  return { text: headline(s), blocks };
}
