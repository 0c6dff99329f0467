import type { WebClient } from '@slack/web-api';
import type { ApproverPolicy } from '../engine/index.js';
import type { Logger } from '../log.js';

export interface ApproversConfig { users: string[]; usergroups: string[] }

/** How long a user group's member list is trusted before asking Slack again. */
const GROUP_TTL_MS = 5 * 60_000;

/**
 * Approvers are Slack user IDs and members of Slack user groups (from opsbot.yaml). The engine
 * separately refuses the requester, whatever this says. A group Slack cannot list counts as empty:
 * failing closed, never open.
 */
export class SlackApproverPolicy implements ApproverPolicy {
  private readonly groups = new Map<string, { members: Set<string>; at: number }>();

  constructor(private readonly cfg: ApproversConfig, private readonly client: WebClient, private readonly log: Logger, private readonly now: () => number = Date.now) {}

  async canApprove(userId: string): Promise<boolean> {
    if (this.cfg.users.includes(userId)) return true;
    for (const group of this.cfg.usergroups) {
      if ((await this.members(group)).has(userId)) return true;
    }
    return false;
  }

  /** Who may approve, as Slack mentions, for cards ("waiting for one of @a, @b"). */
  describe(): string {
    return [...this.cfg.users.map((u) => `<@${u}>`), ...this.cfg.usergroups.map((g) => `<!subteam^${g}>`)].join(', ') || 'nobody (no approvers configured)';
  }

  private async members(group: string): Promise<Set<string>> {
    const cached = this.groups.get(group);
    if (cached && this.now() - cached.at < GROUP_TTL_MS) return cached.members;
    try {
      const r = await this.client.usergroups.users.list({ usergroup: group });
      const members = new Set(r.users ?? []);
      this.groups.set(group, { members, at: this.now() });
      return members;
    } catch (err) {
      this.log.warn({ err: (err as Error).message, usergroup: group }, 'cannot list approver group; counting it as empty');
      return cached?.members ?? new Set();
    }
  }
}
