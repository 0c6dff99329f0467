import type { Step, StepContext, StepOutcome } from '../../engine/index.js';
import { duration } from '../../format.js';
import type { EtlFleet } from '../../targets/ec2/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import type { EtlDeployParams, FleetMember } from './deploy-params.js';
import { failOnOperatorError } from './operator-errors.js';

export interface TerminateState {
  startedAt: number;
  instances: string[];
  requests: string[];
}

const union = (a: string[] | undefined, b: string[]) => [...new Set([...(a ?? []), ...b])];
const list = (ids: string[], max = 12) =>
  `${ids.slice(0, max).join(', ')}${ids.length > max ? `, … (${ids.length - max} more)` : ''}`;

/**
 * Terminates the ETL fleet's instances and open spot requests (by SpotManager's Name prefix; EC2
 * refuses anything else), or only those launched or requested at or after `since` (ms), then
 * waits until EC2 reports each one terminated. Looked at afresh on every call, so a re-check or a
 * restarted worker finishes the job; `st` is the caller's scratch.
 */
export async function terminateFleet(
  deps: EtlDeployDeps,
  ctx: Pick<StepContext, 'now' | 'note' | 'progress'>,
  st: Partial<TerminateState>,
  opts: { since?: number; what: string; stays: string },
): Promise<StepOutcome> {
  const cfg = deps.estate.etl.deploy;
  const fleet = deps.etl.fleet;
  st.startedAt ??= ctx.now();
  const now = await fleet.listEtlInstances();
  const fresh = (at: number | undefined) => opts.since === undefined || (at ?? Infinity) >= opts.since;
  // Requests first: an open request cancelled cannot launch an instance after the terminate.
  const requests = now.requests.filter((r) => fresh(r.createdAt)).map((r) => r.id);
  const mine = now.members.filter(
    (m) =>
      m.instanceId && (fresh(m.launchedAt) || (m.spotRequestId !== undefined && requests.includes(m.spotRequestId))),
  );
  const live = mine.filter((m) => m.phase !== 'terminating').map((m) => m.instanceId!);
  if (requests.length) await fleet.cancelSpotRequests(requests);
  if (live.length) await fleet.terminate(live);
  st.requests = union(st.requests, requests);
  st.instances = union(
    st.instances,
    mine.map((m) => m.instanceId!),
  );
  if (live.length || requests.length) {
    await ctx.note(
      `Terminating ${live.length} ${opts.what}: ${list(live) || 'none'}` +
        (requests.length ? `; cancelled ${requests.length} spot request(s): ${list(requests)}` : ''),
      { once: `terminate:${[...live, ...requests].sort().join(',')}` },
    );
  }
  const ids = st.instances;
  const states = await fleet.instanceStates(ids);
  const left = ids.filter((id) => (states.get(id) ?? 'terminated') !== 'terminated');
  await ctx.progress({
    fraction: ids.length ? (ids.length - left.length) / ids.length : 1,
    text:
      `${ids.length - left.length} of ${ids.length} ${opts.what} terminated` +
      (left.length ? `; waiting for ${list(left, 5)}` : ''),
  });
  if (!left.length) {
    const cancelled = st.requests.length ? `; ${st.requests.length} spot request(s) cancelled` : '';
    return {
      status: 'done',
      summary: ids.length
        ? `${ids.length} ${opts.what} terminated: ${list(ids)}${cancelled}`
        : `no ${opts.what} was running${cancelled}`,
    };
  }
  if (ctx.now() - st.startedAt > cfg.terminateTimeoutMs) {
    return {
      status: 'fail',
      reason:
        `EC2 still reports ${left.length} ${opts.what} not terminated after ` +
        `${duration(cfg.terminateTimeoutMs)}: ${list(left)} (${left.map((id) => states.get(id)).join(', ')}). ` +
        `Look at them in the EC2 console; ${opts.stays}.`,
    };
  }
  return { status: 'wait', recheckInMs: cfg.pollMs };
}

/**
 * "Terminate all ETL instances": every instance and open spot request of SpotManager's fleet,
 * until EC2 reports each one terminated. Why at all (FACTS): old ETL code deletes the messages it
 * has no worker for.
 */
export function terminateEtlInstances(deps: EtlDeployDeps): Step<EtlDeployParams, TerminateState> {
  return {
    id: 'terminate-etl-instances',
    title: 'Terminate all ETL instances',
    destructive: true,
    budgetMs: () => deps.estate.etl.deploy.terminateTimeoutMs + 2 * deps.estate.etl.deploy.pollMs,
    run: (ctx) =>
      failOnOperatorError(() =>
        terminateFleet(deps, ctx, ctx.state, { what: 'ETL instance(s)', stays: 'SpotManager stays stopped' }),
      ),
  };
}

/** The fleet as the card lists it: instances by id, open requests by request id. */
export function fleetMembers(fleet: EtlFleet): FleetMember[] {
  return fleet.members.map((m) => ({
    id: m.id,
    type: m.type,
    phase: m.phase,
    ...(m.zone ? { zone: m.zone } : {}),
    ...(m.pricePerHour !== undefined ? { pricePerHour: m.pricePerHour } : {}),
  }));
}
