import type { ActiveDataService } from '../../targets/activedata/index.js';

/**
 * The facts an approval of a deploy, rollback or restart is bound to: the checkout's head commit,
 * the files changed by hand in it, and supervisor's state of the program. Someone else's pull,
 * reset, edit on the host or stop between the approval and the step voids the approval (the
 * run's own pull is its own: see plan-binding.ts). Uptime and pid are left out: they change by
 * themselves and say nothing about the plan.
 */
export async function serviceFacts(svc: ActiveDataService | undefined): Promise<Record<string, string>> {
  if (!svc) return {};
  const [head, dirty, programs] = await Promise.all([
    svc.checkout.head(),
    svc.checkout.dirtyFiles(),
    svc.supervisor.status(),
  ]);
  return {
    'head commit': head,
    'changed files': dirty.length ? [...dirty].sort().slice(0, 20).join(' ') : 'none',
    supervisor: programs.map((p) => `${p.name} ${p.state}`).join(', ') || 'no program',
  };
}
