import type { Engine } from '../../engine/index.js';
import type { Logger } from '../../log.js';
import type { RunCommand } from '../run-actions.js';
import type { PlanDeps } from '../../runbooks/index.js';
import type { AccessPolicy, ResolvedRule } from '../access-policy.js';
import type { Reply } from '../reply.js';

/** What every command handler gets: who asked, where, how to answer, and what plans read through. */
export interface CommandContext {
  user: string;
  team?: string;
  channel: string;
  /** Slack's id of this invocation; a retried delivery carries the same one. */
  triggerId?: string;
  /** The command as typed (a run keeps it: Re-run asks it again). */
  command?: { slash: string; text: string };
  /** Set when this command is a Re-run of that run. */
  rerunOf?: string;
  /** `--break-glass REASON`, already allowed by the policy: the run needs no second approval. */
  breakGlass?: string;
  /** Runs another command as this person, as if typed (Re-run). */
  runAs?: RunCommand;
  reply: Reply;
  log: Logger;
  engine: Engine;
  /** Who may run and approve what (the policy file). */
  access: AccessPolicy;
  /** This command's policy name ("es drain") and the rule that applies to it. */
  commandKey: string;
  rule: ResolvedRule;
  /** What the runbooks' plans and queries read the estate through. */
  deps: PlanDeps;
}
