import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../log.js';

/** The team a signed request says it comes from (slash command, button click, modal). */
function teamOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.team_id === 'string') return body.team_id;
  const team = body.team as { id?: unknown } | undefined;
  if (team && typeof team.id === 'string') return team.id;
  const user = body.user as { team_id?: unknown } | undefined;
  return typeof user?.team_id === 'string' ? user.team_id : undefined;
}

/**
 * Identity is the signed payload's team and user IDs. A request signed with our secret but for
 * another workspace (an app installed elsewhere, a forged body) is acknowledged and refused.
 */
export function onlyTeam(teamId: string, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    const team = teamOf(body);
    if (team === teamId) {
      await args.next();
      return;
    }
    log.warn({ team, expected: teamId }, 'request from another workspace refused');
    const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
    if (ack) await ack();
    const respond = (args as { respond?: (m: unknown) => Promise<unknown> }).respond;
    if (respond)
      await respond({
        response_type: 'ephemeral',
        text: 'This bot serves one workspace only: requests from other workspaces are refused.',
      }).catch(() => undefined);
  };
}
