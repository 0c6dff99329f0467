import type { Step, StepOutcome } from '../../engine/index.js';
import { lastWords } from '../../targets/etl/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import { branchMove, shortSha, type EtlDeployParams } from './deploy-params.js';
import { failOnOperatorError } from './operator-errors.js';

/**
 * Moves the remote branch from `expect` to `to` with a lease: refused (nothing changed) if someone
 * else moved it meanwhile. Idempotent: a branch already at `to` is done.
 */
async function moveBranch(
  deps: EtlDeployDeps,
  to: string,
  expect: string | undefined,
  what: string,
): Promise<StepOutcome | { moved: true }> {
  const repo = deps.etl.repo();
  const head = await repo.remoteHead();
  if (head === to) return { moved: true };
  if (head !== expect) {
    return {
      status: 'fail',
      reason:
        `${repo.cfg.remote}/${repo.cfg.branch} is at ${head ? shortSha(head) : '(no branch)'}, ` +
        `not ${expect ? shortSha(expect) : '(no branch)'} as when ${what} was planned: someone else pushed. ` +
        'Nothing was pushed.',
    };
  }
  await repo.fetch();
  const r = await repo.push(to, expect);
  if (r.code !== 0) {
    return {
      status: 'fail',
      reason:
        `git push ${repo.cfg.remote} ${shortSha(to)}:${repo.cfg.branch} failed in ${repo.where} ` +
        `(exit ${r.code}): ${lastWords(r)}. ` +
        `${repo.cfg.branch} is still at ${expect ? shortSha(expect) : '(no branch)'}.`,
    };
  }
  const after = await repo.remoteHead();
  if (after !== to)
    return {
      status: 'fail',
      reason:
        `git push said it worked, but ${repo.cfg.remote}/${repo.cfg.branch} ` +
        `reads ${after ? shortSha(after) : '(no branch)'}: look at the repository.`,
    };
  return { moved: true };
}

/**
 * "Push code to `etl` branch": the remote branch moves to exactly the approved commit (a
 * fast-forward, checked at the plan; the lease refuses if the branch moved since). The thread
 * shows old → new. The deploy's revert moves the branch back (moveEtlBranchBack).
 */
export function pushEtlBranch(deps: EtlDeployDeps): Step<EtlDeployParams> {
  const branch = deps.estate.etl.repo.branch;
  return {
    id: 'push-etl-branch',
    title: `Push code to \`${branch}\` branch`,
    destructive: true,
    run: (ctx) =>
      failOnOperatorError(async () => {
        const q = ctx.params;
        const r = await moveBranch(deps, q.commit.sha, q.from?.sha, 'the deploy');
        if (!('moved' in r)) return r;
        return {
          status: 'done',
          summary:
            `${q.repo.remote}/${q.repo.branch}: ${branchMove(q)} ` +
            `(${q.commitCount} commit${q.commitCount === 1 ? '' : 's'})`,
          output: { etlFrom: q.from?.sha ?? null, etlTo: q.commit.sha },
        };
      }),
  };
}

/**
 * The revert's "Move `etl` back": the branch from the deployed commit to where it was, with the
 * same lease (refused if someone pushed since). A branch that did not exist before is not
 * deleted: nothing ran the old code.
 */
export async function moveEtlBranchBack(deps: EtlDeployDeps, q: EtlDeployParams): Promise<StepOutcome> {
  if (!q.from)
    return { status: 'done', summary: `${q.repo.branch} did not exist before the deploy: left at ${q.commit.short}` };
  const r = await moveBranch(deps, q.from.sha, q.commit.sha, 'the revert');
  if (!('moved' in r)) return r;
  return { status: 'done', summary: `${q.repo.remote}/${q.repo.branch}: ${q.commit.short} → ${q.from.short}` };
}
