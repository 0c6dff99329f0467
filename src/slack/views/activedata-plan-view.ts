import type { CommitInfo, DeployParams, RestartParams, RollbackParams, ServiceTarget } from '../../runbooks/index.js';
import { escapeMrkdwn, fields, section, type Block } from './blocks.js';

/** `abc1234` subject (author): one commit on one line. */
export function commitLine(c: CommitInfo): string {
  const subject = c.subject.length > 72 ? `${c.subject.slice(0, 72)}…` : c.subject;
  return `\`${c.short}\` ${escapeMrkdwn(subject)}${c.author ? ` _(${escapeMrkdwn(c.author)})_` : ''}`;
}

function commitList(title: string, commits: CommitInfo[], count: number): Block {
  const more = count > commits.length ? `\n… and ${count - commits.length} more` : '';
  return section(`*${title}* (${count}):\n${commits.map((c) => `• ${commitLine(c)}`).join('\n')}${more}`);
}

function targetFields(p: ServiceTarget): string[] {
  return [
    `*Frontend*\n${escapeMrkdwn(p.where)}\n\`${escapeMrkdwn(p.checkout)}\``,
    `*Supervisor at request*\n${p.programsAtPlan.map((l) => escapeMrkdwn(l)).join('\n') || '_(no status)_'}`,
    `*Health URL*\n${escapeMrkdwn(p.healthUrl)}`,
  ];
}

/** The plan of a deploy, as its card shows it before and during the run. */
export function deployPlanBlocks(p: DeployParams): Block[] {
  return [
    fields([`*Now*\n${commitLine(p.from)}`, `*After the pull*\n${commitLine(p.to)}`, ...targetFields(p)]),
    commitList(`Commits git pull ${p.remote} ${p.branch} brings`, p.commits, p.commitCount),
  ];
}

export function rollbackPlanBlocks(p: RollbackParams): Block[] {
  return [
    fields([`*Now*\n${commitLine(p.from)}`, `*Back to*\n${commitLine(p.to)}`, ...targetFields(p)]),
    commitList('Commits taken away', p.commits, p.commitCount),
  ];
}

export function restartPlanBlocks(p: RestartParams): Block[] {
  return [fields([`*Program*\n${escapeMrkdwn(p.program)}`, `*Commit*\n${commitLine(p.commit)}`, ...targetFields(p)])];
}
