import type { StepContext, StepOutcome } from '../../engine/index.js';
import { lastLines, type ActiveDataService, type CommitInfo } from '../../targets/activedata/index.js';
import { codeBlock } from './service-check.js';
import type { DeployParams } from './service-params.js';

/** A local edit on the host must never be overwritten by the bot, nor make a pull fail half way. */
function dirtyReason(svc: ActiveDataService, dirty: string[], running: CommitInfo): string {
  const shown = `${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}`;
  return (
    `${svc.cfg.checkout} has local changes (${shown}). Nothing was changed: the service still runs ${running.short}. ` +
    'Commit, stash or discard them on the host, then ask again.'
  );
}

/**
 * "On the frontend machine run git pull origin master", bound to the plan: `git fetch REMOTE
 * BRANCH`, then a fast-forward to exactly the commit the approver saw (`git merge --ff-only SHA`),
 * even if the branch moved meanwhile. A failure changes nothing (a fast-forward is all or
 * nothing) and the service, never restarted, still runs the old commit. Idempotent: a checkout
 * already at the target (a worker died after the merge) is done.
 */
export async function pullApprovedCommit(ctx: StepContext<DeployParams>, svc: ActiveDataService): Promise<StepOutcome> {
  const p = ctx.params;
  const [head, dirtyFiles] = await Promise.all([svc.checkout.head(), svc.checkout.dirtyFiles()]);
  const done = (): StepOutcome => ({
    status: 'done',
    summary: `${p.from.short} → ${p.to.short} (${p.commitCount} commit${p.commitCount === 1 ? '' : 's'}, fast-forward)`,
    output: { deployedFrom: p.from.sha, deployedTo: p.to.sha },
  });
  if (head === p.to.sha) return done();
  if (head !== p.from.sha) {
    return {
      status: 'fail',
      reason:
        `The checkout moved since the plan: it is at ${head.slice(0, 7)}, ` +
        `the plan was ${p.from.short} → ${p.to.short}. ` +
        'Nothing was changed; ask again with /activedata deploy.',
    };
  }
  if (dirtyFiles.length) return { status: 'fail', reason: dirtyReason(svc, dirtyFiles, p.from) };
  const fetched = await svc.checkout.fetch(p.remote, p.branch);
  if (!fetched.ok) {
    return {
      status: 'fail',
      reason:
        `git fetch ${p.remote} ${p.branch} failed:\n${codeBlock(lastLines(fetched.output, 8))}\n` +
        `Nothing was changed: the service still runs ${p.from.short}.`,
    };
  }
  if (fetched.sha !== p.to.sha) {
    await ctx.note(
      `${p.remote}/${p.branch} moved since the plan (now ${fetched.sha.slice(0, 7)}): ` +
        `deploying ${p.to.short}, the commit that was approved.`,
      { once: 'branch-moved' },
    );
  }
  const merge = await svc.checkout.fastForward(p.to.sha);
  if (merge.code !== 0) {
    const now = await svc.checkout.head().catch(() => 'unknown');
    const state =
      now === p.from.sha
        ? `Nothing was changed: the checkout is still at ${p.from.short} and the service still runs it.`
        : `The checkout is now at ${now.slice(0, 7)}: check it on the host.`;
    const said = codeBlock(lastLines(`${merge.stdout}${merge.stderr}`, 10));
    return { status: 'fail', reason: `git pull failed (exit ${merge.code}):\n${said}\n${state}` };
  }
  return done();
}

/**
 * Puts the checkout back on `target` with `git reset --keep` (local edits are kept, or git
 * refuses). Returns why it could not, or undefined. Idempotent: already there is fine.
 */
export async function resetCheckout(svc: ActiveDataService, target: CommitInfo): Promise<string | undefined> {
  const head = await svc.checkout.head();
  if (head === target.sha) return undefined;
  const dirty = await svc.checkout.dirtyFiles();
  if (dirty.length)
    return (
      `${svc.cfg.checkout} has local changes (${dirty.slice(0, 5).join(', ')}): not rolling back over them. ` +
      'Commit, stash or discard them on the host, then revert again.'
    );
  const r = await svc.checkout.resetKeep(target.sha);
  if (r.code !== 0) {
    const said = codeBlock(lastLines(r.stdout + r.stderr, 10));
    return `git reset --keep ${target.short} failed (exit ${r.code}):\n${said}`;
  }
  return undefined;
}
