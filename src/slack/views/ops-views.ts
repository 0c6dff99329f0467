import type { AuditEntry, Run } from '../../engine/index.js';
import { duration, utcTime } from '../../format.js';
import { alignColumns, codeTable, context, header, section, type SlackMessage } from './blocks.js';

/** `/ops jobs`: one line per run, newest first. */
export function jobsView(runs: Run[], now = Date.now()): SlackMessage {
  if (runs.length === 0) return { text: 'No runs yet.', blocks: [section('No runs yet.')] };
  const lines = runs.map((r) => {
    const approvers = [...new Set(r.approvals.map((a) => `<@${a.by}>`))].join(', ') || '—';
    return (
      `\`${r.id}\` *${r.status}* · ${r.summary} · by <@${r.requester}> · ` +
      `approved: ${approvers} · ${duration(now - r.createdAt)} ago`
    );
  });
  const blocks = [
    header('Runs'),
    ...chunk(lines).map(section),
    context(`${runs.length} most recent · /ops cancel RUN stops one`),
  ];
  return { text: lines.join('\n'), blocks };
}

/** `/ops audit`: the append-only log, oldest of the selection first. */
export function auditView(entries: AuditEntry[], run?: string): SlackMessage {
  if (entries.length === 0)
    return {
      text: 'The audit log has no entries yet.',
      blocks: [section(`No audit entries${run ? ` for run ${run}` : ''}.`)],
    };
  const rows = alignColumns([
    ['time (UTC)', 'run', 'event', 'user', 'step', 'detail'],
    ...entries.map((e) => [
      new Date(e.at).toISOString().slice(0, 19).replace('T', ' '),
      e.run,
      e.type,
      e.user ?? '-',
      e.step ?? '-',
      detail(e),
    ]),
  ]);
  return {
    text: `${entries.length} audit entries${run ? ` of run ${run}` : ''}`,
    blocks: [
      header(`Audit log${run ? ` of ${run}` : ''}`),
      ...codeTable(rows, 6),
      context(`as of ${utcTime(Date.now())}`),
    ],
  };
}

function detail(e: AuditEntry): string {
  const s = JSON.stringify(e.detail ?? {});
  return s === '{}' ? '' : s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/** Sections hold 3,000 characters: long lists go over several. */
function chunk(lines: string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const l of lines) {
    if (cur && cur.length + l.length + 1 > 2900) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push(cur);
  return out.slice(0, 40);
}
