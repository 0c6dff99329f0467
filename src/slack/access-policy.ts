import type { Policy, PolicyRule, Who } from '../config/policy.js';
import type { ApproverPolicy, Run } from '../engine/index.js';
import type { SlackDirectory } from './slack-directory.js';
import { breakGlassRefusal } from './break-glass.js';

/** A rule with its defaults filled in, for one command. */
export interface ResolvedRule {
  /** The policy pattern that matched, or 'default'. */
  pattern: string;
  requesters?: Who;
  channels?: string[];
  approvers: Who;
  approvals: number;
}

function globMatch(pattern: string, key: string): boolean {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(key);
}

/**
 * Reads that can show secrets or production log lines: closed unless a policy rule names who may
 * read them, answered to the requester alone (ephemeral or DM), never in a Slack Connect channel
 * or to a guest.
 */
export const SENSITIVE_READS: ReadonlySet<string> = new Set([
  'activedata logs',
  'activedata config',
  'spot log',
  'ops audit',
]);

/**
 * Who may run what, where, and who approves (the policy file, first matching rule wins; without
 * one: read-only commands for everyone, changes approved by one of opsbot.yaml's approvers, and
 * SENSITIVE_READS for nobody).
 * Identity is the signed payload's user ID, never a display name. Also the engine's approver policy.
 */
export class AccessPolicy implements ApproverPolicy {
  constructor(
    private readonly policy: Policy,
    private readonly defaultApprovers: Who,
    private readonly directory: SlackDirectory,
  ) {}

  /** "es drain" → its rule. */
  ruleFor(commandKey: string): ResolvedRule {
    const rule: PolicyRule | undefined = this.policy.rules.find((r) => globMatch(r.command, commandKey));
    return {
      pattern: rule?.command ?? 'default',
      ...(rule?.requesters ? { requesters: rule.requesters } : {}),
      ...(rule?.channels ? { channels: rule.channels } : {}),
      approvers: rule?.approvers ?? this.defaultApprovers,
      approvals: rule?.approvals ?? 1,
    };
  }

  /** Why `user` may not request the command here (a sentence naming who may), or undefined. */
  async refusal(commandKey: string, user: string, channel: string): Promise<string | undefined> {
    const rule = this.ruleFor(commandKey);
    if (SENSITIVE_READS.has(commandKey)) {
      const closed = await this.sensitiveReadRefusal(commandKey, rule, user, channel);
      if (closed) return closed;
    }
    if (rule.channels && !rule.channels.includes(channel)) {
      const where = rule.channels.map((c) => `<#${c}>`).join(', ');
      return `\`${commandKey}\` may not run in this channel; it may run in ${where} (policy rule "${rule.pattern}").`;
    }
    if (rule.requesters && !(await this.directory.isIn(user, rule.requesters))) {
      const who = this.directory.describe(rule.requesters);
      return `Only ${who} may run \`${commandKey}\` (policy rule "${rule.pattern}").`;
    }
    return undefined;
  }

  /** Why a read that can leak is refused here: no rule names its readers, a shared channel, a guest. */
  private async sensitiveReadRefusal(
    key: string,
    rule: ResolvedRule,
    user: string,
    channel: string,
  ): Promise<string | undefined> {
    const cmd = `\`/${key}\``;
    if (!rule.requesters)
      return (
        `${cmd} can show secrets and production log lines, so it is closed until the policy names who may read ` +
        `it: add a rule \`command: '${key}'\` with \`requesters:\` (users or usergroups) to the policy file ` +
        `(see policy.example.yaml)${rule.pattern === 'default' ? '' : `; rule "${rule.pattern}" names nobody`}.`
      );
    const { extShared, guest } = await this.directory.audience(user, channel);
    if (extShared !== false)
      return extShared
        ? `${cmd} is not answered in a channel shared with another organisation (Slack Connect): ` +
            'run it in an internal channel or in a DM with the bot.'
        : `${cmd} is refused: Slack did not say whether this channel is shared with another organisation; ` +
            'try again in a minute, or from a DM with the bot.';
    if (guest !== false)
      return guest
        ? `${cmd} is not open to guest accounts (this is a ${guest} guest): ` +
            `ask ${this.directory.describe(rule.requesters)} to read it.`
        : `${cmd} is refused: Slack did not say whether your account is a guest; try again in a minute.`;
    return undefined;
  }

  /** Why `user` may not use `--break-glass` on `commandKey` (naming who may), or undefined. */
  breakGlassRefusal(user: string, commandKey: string): Promise<string | undefined> {
    return breakGlassRefusal(this.policy.breakGlass, this.directory, user, commandKey);
  }

  async canApprove(userId: string, run: Run): Promise<boolean> {
    return this.directory.isIn(userId, this.ruleFor(keyOf(run)).approvers);
  }

  /** The user ids who may approve this run (user groups listed), for the approval DMs. */
  approverIds(run: Run): Promise<string[]> {
    return this.directory.usersOf(this.ruleFor(keyOf(run)).approvers);
  }

  /** Who may approve this run, as mentions, for its card. */
  approversOf(run: Run): string {
    return this.directory.describe(this.ruleFor(keyOf(run)).approvers);
  }
}

/** A run's policy key: recorded at creation; older runs fall back on their runbook's name. */
export function keyOf(run: Run): string {
  return run.policyKey ?? run.runbook.replace('.', ' ');
}
