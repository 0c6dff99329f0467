import type { Run } from '../../engine/index.js';
import type { EtlDeployParams, FleetMember, NamedResource } from '../../runbooks/index.js';
import { commitLine } from './activedata-plan-view.js';
import { alignColumns, codeTable, context, escapeMrkdwn, fields, section, type Block } from './blocks.js';
import { perHour } from './etl-format.js';
import { slackTime } from './slack-time.js';

function fleetTable(members: FleetMember[]): Block[] {
  if (!members.length) return [section('*ETL instances to terminate*: none running')];
  const rows = [
    ['id', 'type', 'zone', 'state', '$/hour'],
    ...members.map((m) => [
      m.id,
      m.type,
      m.zone ?? '',
      m.phase,
      m.pricePerHour !== undefined ? String(m.pricePerHour) : '',
    ]),
  ];
  return [section(`*ETL instances to terminate* (step 2): ${members.length}`), ...codeTable(alignColumns(rows), 1)];
}

function resourceLine(kind: string, items: NamedResource[]): string {
  if (!items.length) return `*${kind}*: none named`;
  const marked = items.map((r) => `${r.exists ? ':white_check_mark:' : ':new:'} ${escapeMrkdwn(r.name)}`);
  return `*${kind}*: ${marked.join(' · ')}`;
}

/**
 * The plan of an ETL deploy as its card shows it (the alarm when SpotManager was left stopped is
 * the runbook's, drawn above it), and the fleet as it was once SpotManager had stopped.
 */
export function etlDeployBlocks(p: EtlDeployParams, run: Run): Block[] {
  const atStop = run.outputs.fleetAtStop as FleetMember[] | undefined;
  const types = [...new Set(p.fleet.members.map((m) => m.type))].join(', ');
  const sm = p.spotManager;
  const more = p.commitCount > p.commits.length ? `\n… and ${p.commitCount - p.commits.length} more` : '';
  const files = p.repo.settingsFiles.map((f) => `\`${escapeMrkdwn(f)}\``).join(', ');
  const tables = p.resources.tables.map(
    (t) =>
      `${t.exists ? ':white_check_mark:' : ':new:'} ${escapeMrkdwn(t.alias)}` +
      (t.unaliased.length ? ` :warning: ${t.unaliased.length} without alias` : ''),
  );
  const blocks: Block[] = [
    fields([
      `*${escapeMrkdwn(p.repo.remote)}/${escapeMrkdwn(p.repo.branch)} now*\n` +
        (p.from ? commitLine(p.from) : '_(no branch yet)_'),
      `*After the push*\n${commitLine(p.commit)}`,
      `*SpotManager at request*\n${sm.enabled ? 'enabled' : 'stopped'} · budget ${perHour(sm.budget)}` +
        `${sm.lastRunAt ? ` · last run ${slackTime(sm.lastRunAt)}` : ''}\n${escapeMrkdwn(sm.where)}`,
      `*ETL fleet at request*\n${p.fleet.members.length} (${types || 'none'}) · ` +
        `${perHour(p.fleet.hourlyCost)} now, bids ${perHour(p.fleet.exposure)}`,
    ]),
    section(
      `*Commits the push brings* (${p.commitCount}):\n${p.commits.map((c) => `• ${commitLine(c)}`).join('\n')}${more}`,
    ),
    ...fleetTable(atStop ?? p.fleet.members),
    section(
      [
        `*Named in ${files} at ${p.commit.short}* (:new: is created at step 3, the rest left alone):`,
        resourceLine('Queues', p.resources.queues),
        resourceLine('Buckets', p.resources.buckets),
        `*ES tables* (cluster ${escapeMrkdwn(p.cluster)}): ${tables.join(' · ') || 'none named'}`,
      ].join('\n'),
    ),
  ];
  if (atStop) blocks.push(context('The fleet as it was once SpotManager had stopped (step 1).'));
  blocks.push(
    section(
      run.status === 'succeeded'
        ? '*9. Run the backfill, if desired* · *10. Increase SpotManager budget, if desired*: the buttons below.'
        : '_Then, if desired: 9. Run the backfill · 10. Increase SpotManager budget ' +
            '(buttons here once nothing blew up)._',
    ),
  );
  return blocks;
}
