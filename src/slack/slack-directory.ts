import type { WebClient } from '@slack/web-api';
import type { Who } from '../config/policy.js';
import type { Logger } from '../log.js';

/** How long a user group's member list is trusted before asking Slack again. */
const GROUP_TTL_MS = 5 * 60_000;

/**
 * Who is in which Slack user group (usergroups.users.list, cached). A group Slack cannot list
 * counts as empty: access fails closed, never open.
 */
export class SlackDirectory {
  private readonly groups = new Map<string, { members: Set<string>; at: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async isIn(userId: string, who: Who): Promise<boolean> {
    if (who.users.includes(userId)) return true;
    for (const group of who.usergroups) {
      if ((await this.members(group)).has(userId)) return true;
    }
    return false;
  }

  /** "@alice, @es-admins" as Slack mentions. */
  describe(who: Who): string {
    return [...who.users.map((u) => `<@${u}>`), ...who.usergroups.map((g) => `<!subteam^${g}>`)].join(', ') || 'nobody';
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
      this.log.warn({ err: (err as Error).message, usergroup: group }, 'cannot list user group; counting it as empty');
      return cached?.members ?? new Set();
    }
  }
}
