import type { ActiveDataService } from '../../targets/activedata/index.js';

/**
 * The facts an approval of a deploy, rollback or restart is bound to: the checkout's head commit
 * and supervisor's state of the program. Someone else's pull, reset or stop between the approval
 * and the step voids the approval (the run's own pull is its own: see plan-binding.ts). Uptime
 * and pid change by themselves and say nothing about the plan; files edited by hand on the host
 * are the pull's own check (it refuses, naming them), not a reason to ask again.
 */
export async function serviceFacts(svc: ActiveDataService | undefined): Promise<Record<string, string>> {
  if (!svc) return {};
  const [head, programs] = await Promise.all([svc.checkout.head(), svc.supervisor.status()]);
  return {
    'head commit': head,
    supervisor: programs.map((p) => `${p.name} ${p.state}`).join(', ') || 'no program',
  };
}
