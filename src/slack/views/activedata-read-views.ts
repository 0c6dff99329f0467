import { duration } from '../../format.js';
import type { ConfigFile, HealthAnswer, LogExcerpt, ProgramStatus, ServiceStatusReport } from '../../runbooks/index.js';
import { commitLine } from './activedata-plan-view.js';
import { codeTable, context, escapeMrkdwn, fields, header, section, type Block, type SlackMessage } from './blocks.js';

const STATE_MARK: Record<string, string> = {
  RUNNING: ':large_green_circle:',
  STARTING: ':large_yellow_circle:',
  BACKOFF: ':large_orange_circle:',
  STOPPING: ':large_yellow_circle:',
};

/** One program as supervisor sees it: state, uptime, pid, and its own words when it is not RUNNING. */
function programLine(p: ProgramStatus): string {
  const up = p.uptimeSeconds !== undefined ? `, up ${duration(p.uptimeSeconds * 1000)}` : '';
  const pid = p.pid ? ` (pid ${p.pid})` : '';
  const said = p.state !== 'RUNNING' && p.description ? `: ${escapeMrkdwn(p.description)}` : '';
  return `${STATE_MARK[p.state] ?? ':red_circle:'} ${escapeMrkdwn(p.name)} *${p.state}*${up}${pid}${said}`;
}

function healthLine(h: HealthAnswer): string {
  if (!h.ok) return `:red_circle: ${escapeMrkdwn(h.error)}`;
  const commit = h.version.commit ? `: commit \`${escapeMrkdwn(h.version.commit.slice(0, 12))}\`` : '';
  const branch = h.version.branch ? ` (${escapeMrkdwn(h.version.branch)})` : '';
  return `:large_green_circle: HTTP ${h.status} in ${h.ms} ms${commit}${branch}`;
}

/** `/activedata status`: supervisor state and uptime, current commit, health answer. */
export function serviceStatusView(report: ServiceStatusReport): SlackMessage {
  const { status: s, disagreement } = report;
  const supervisor = s.supervisorError
    ? `:red_circle: ${escapeMrkdwn(s.supervisorError)}`
    : s.programs.map(programLine).join('\n');
  const commit = s.commit
    ? `${commitLine(s.commit)}${s.branch ? `\non ${escapeMrkdwn(s.branch)}` : ' (detached HEAD)'}`
    : `:red_circle: ${escapeMrkdwn(s.checkoutError ?? 'unknown')}`;
  const h = s.health;
  const blocks: Block[] = [
    header(`ActiveData service on ${s.where}`),
    fields([`*Supervisor*\n${supervisor}`, `*Checkout*\n${commit}`, `*Health*\n${healthLine(h)}`]),
  ];
  const warnings: string[] = [];
  if (disagreement) {
    warnings.push(
      `The service answers commit \`${escapeMrkdwn(disagreement.serving)}\` ` +
        `but the checkout is at \`${disagreement.checkout}\`: it was not restarted since the checkout changed.`,
    );
  }
  if (s.dirty?.length)
    warnings.push(
      `Local changes in the checkout: ${s.dirty.slice(0, 5).map(escapeMrkdwn).join(', ')}` +
        `${s.dirty.length > 5 ? ', …' : ''} (a deploy refuses until they are committed or stashed).`,
    );
  if (warnings.length) blocks.push(section(warnings.map((w) => `:warning: ${w}`).join('\n')));
  blocks.push(
    context(
      `Logs ${escapeMrkdwn(report.logFile)} (/activedata logs) · ` +
        `configuration ${escapeMrkdwn(report.configFile)} (/activedata config)`,
    ),
  );
  const programs = s.programs.map((p) => `${p.name} ${p.state}`).join(', ') || 'supervisor unknown';
  const health = h.ok ? 'ok' : h.error;
  const text = `ActiveData on ${s.where}: ${programs}; commit ${s.commit?.short ?? '?'}; health ${health}`;
  return { text, blocks };
}

function logsTitle(l: LogExcerpt, host: string): string {
  const containing = l.grep !== undefined ? ` containing “${l.grep}”` : '';
  return `Last ${l.lines} line${l.lines === 1 ? '' : 's'} of ${l.file} on ${host}${containing}`;
}

/** The note to the requester that the lines are in their DM with the bot (or that there are none). */
export function logsHeaderView(l: LogExcerpt, host: string): SlackMessage {
  const title = logsTitle(l, host);
  const clip = l.clipped ? ' (older lines cut: the excerpt is capped in size)' : '';
  // The search text is the requester's: escaped in the fallback text too, so `<!channel>` pings nobody.
  if (l.lines === 0)
    return { text: `${escapeMrkdwn(title)}: none`, blocks: [section(`:mag: ${escapeMrkdwn(title)}: *none*.`)] };
  return {
    text: escapeMrkdwn(title),
    blocks: [section(`:page_facing_up: ${escapeMrkdwn(title)}${clip}: sent to you in a DM with the bot.`)],
  };
}

/**
 * Log lines inline, when a snippet cannot be shared: the newest lines that fit two code sections
 * (Slack's 3,000-character section limit), the cut said out loud.
 */
export function logsInlineView(l: LogExcerpt, host: string): SlackMessage {
  const title = logsTitle(l, host);
  if (l.lines === 0)
    return { text: `${escapeMrkdwn(title)}: none`, blocks: [section(`:mag: ${escapeMrkdwn(title)}: *none*.`)] };
  const lines = l.text
    .split('\n')
    .map((x) => escapeMrkdwn(x).replace(/```/g, "'''"))
    .map((x) => (x.length > 300 ? `${x.slice(0, 300)}…` : x));
  // Two sections of at least 2,900 - 310 characters each always hold this much.
  const budget = 2 * 2500;
  const kept: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0 && size + lines[i]!.length + 1 <= budget; i--) {
    kept.unshift(lines[i]!);
    size += lines[i]!.length + 1;
  }
  const blocks: Block[] = [section(`:page_facing_up: ${escapeMrkdwn(title)}`), ...codeTable(kept, 2)];
  if (kept.length < lines.length)
    blocks.push(context(`Only the newest ${kept.length} of ${lines.length} lines fit a message.`));
  return { text: escapeMrkdwn(title), blocks };
}

/** `/activedata config`: the supervisord.conf, secrets masked, in code sections (or a snippet when longer). */
export function configView(c: ConfigFile, host: string, maxSections = 4): { message: SlackMessage; fits: boolean } {
  const lines = c.text.split('\n').map((x) => escapeMrkdwn(x).replace(/```/g, "'''"));
  const table = codeTable(lines, maxSections);
  const fits = !table.some((b) => b.type === 'context');
  const title = `${c.file} on ${host}`;
  const clip = c.clipped ? ` Only the first ${c.text.length} of ${c.bytes} bytes are shown.` : '';
  const note = `Secrets (passwords, tokens, keys, credentials in URLs) are masked.${clip}`;
  const blocks: Block[] = [
    section(`:gear: *${escapeMrkdwn(title)}*`),
    ...(fits ? table : [section('_Longer than a message: sent to you in a DM with the bot._')]),
    context(note),
  ];
  return { message: { text: title, blocks }, fits };
}
