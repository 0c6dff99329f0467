import type { WebClient } from '@slack/web-api';
import type { Who } from '../config/policy.js';
import type { Logger } from '../log.js';

/** How long a user group's member list is trusted before asking Slack again. */
const GROUP_TTL_MS = 5 * 60_000;
/** How long a channel's sharing and a person's guest status are trusted: a minute, it can change. */
const FACT_TTL_MS = 60_000;

/** Who would see an answer: a Slack Connect channel, a guest account; undefined where Slack could not say. */
export interface Audience {
  extShared: boolean | undefined;
  guest: 'multi-channel' | 'single-channel' | false | undefined;
}

/**
 * Who is in which Slack user group (usergroups.users.list, cached). A group Slack cannot list
 * counts as empty: access fails closed, never open.
 */
export class SlackDirectory {
  private readonly groups = new Map<string, { members: Set<string>; at: number }>();
  private readonly channels = new Map<string, { extShared: boolean; at: number }>();
  private readonly people = new Map<string, { guest: Audience['guest']; at: number }>();

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

  /** Every user id in `who`, user groups listed (a group Slack cannot list adds nobody). */
  async usersOf(who: Who): Promise<string[]> {
    const ids = new Set(who.users);
    for (const group of who.usergroups) for (const u of await this.members(group)) ids.add(u);
    return [...ids];
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

  /**
   * Whether the channel is shared with another organisation (conversations.info is_ext_shared) and
   * whether the person is a guest (users.info is_restricted / is_ultra_restricted), cached for a
   * minute. What Slack cannot answer is undefined: the caller fails closed.
   */
  async audience(userId: string, channel: string): Promise<Audience> {
    const [extShared, guest] = await Promise.all([this.extShared(channel), this.guest(userId)]);
    return { extShared, guest };
  }

  private async extShared(channel: string): Promise<boolean | undefined> {
    const cached = this.channels.get(channel);
    if (cached && this.now() - cached.at < FACT_TTL_MS) return cached.extShared;
    try {
      const r = await this.client.conversations.info({ channel });
      const extShared = r.channel?.is_ext_shared === true || r.channel?.is_pending_ext_shared === true;
      this.channels.set(channel, { extShared, at: this.now() });
      return extShared;
    } catch (err) {
      this.log.warn({ err: (err as Error).message, channel }, 'cannot read the channel; treating it as shared');
      return undefined;
    }
  }

  private async guest(userId: string): Promise<Audience['guest']> {
    const cached = this.people.get(userId);
    if (cached && this.now() - cached.at < FACT_TTL_MS) return cached.guest;
    try {
      const r = await this.client.users.info({ user: userId });
      const u = r.user;
      const guest = u?.is_ultra_restricted ? 'single-channel' : u?.is_restricted ? 'multi-channel' : false;
      this.people.set(userId, { guest, at: this.now() });
      return guest;
    } catch (err) {
      this.log.warn({ err: (err as Error).message, user: userId }, 'cannot read the user; treating them as a guest');
      return undefined;
    }
  }
}
