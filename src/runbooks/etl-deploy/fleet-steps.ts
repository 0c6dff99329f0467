import type { Step, StepOutcome } from '../../engine/index.js';
import { duration } from '../../format.js';
import type { EtlFleet } from '../../targets/ec2/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import type { EtlDeployParams, FleetMember } from './deploy-params.js';
import { failOnOperatorError } from './operator-errors.js';

interface TerminateState {
  startedAt: number;
  instances: string[];
  requests: string[];
}

const union = (a: string[] | undefined, b: string[]) => [...new Set([...(a ?? []), ...b])];
const list = (ids: string[], max = 12) =>
  `${ids.slice(0, max).join(', ')}${ids.length > max ? `, … (${ids.length - max} more)` : ''}`;

/**
 * "Terminate all ETL instances": every instance and open spot request of SpotManager's fleet (by
 * its Name prefix; EC2 refuses anything else), then a wait until EC2 reports each one terminated.
 * Looked at afresh on every call, so a re-check or a restarted worker finishes the job.
 * Why at all (FACTS): old ETL code deletes the messages it has no worker for.
 */
export function terminateEtlInstances(deps: EtlDeployDeps): Step<EtlDeployParams, TerminateState> {
  return {
    id: 'terminate-etl-instances',
    title: 'Terminate all ETL instances',
    destructive: true,
    run: (ctx) =>
      failOnOperatorError(async (): Promise<StepOutcome> => {
        const cfg = deps.estate.etl.deploy;
        const fleet = deps.etl.fleet;
        const st = ctx.state;
        st.startedAt ??= ctx.now();
        const now = await fleet.listEtlInstances();
        // Requests first: an open request cancelled cannot launch an instance after the terminate.
        const requests = now.requests.map((r) => r.id);
        const live = now.members.filter((m) => m.instanceId && m.phase !== 'terminating').map((m) => m.instanceId!);
        if (requests.length) await fleet.cancelSpotRequests(requests);
        if (live.length) await fleet.terminate(live);
        st.requests = union(st.requests, requests);
        st.instances = union(
          st.instances,
          now.members.flatMap((m) => (m.instanceId ? [m.instanceId] : [])),
        );
        if (live.length || requests.length) {
          await ctx.note(
            `Terminating ${live.length} ETL instance(s): ${list(live) || 'none'}` +
              (requests.length ? `; cancelled ${requests.length} spot request(s): ${list(requests)}` : ''),
            { once: `terminate:${[...live, ...requests].sort().join(',')}` },
          );
        }
        const ids = st.instances ?? [];
        const states = await fleet.instanceStates(ids);
        const left = ids.filter((id) => (states.get(id) ?? 'terminated') !== 'terminated');
        await ctx.progress({
          fraction: ids.length ? (ids.length - left.length) / ids.length : 1,
          text:
            `${ids.length - left.length} of ${ids.length} ETL instances terminated` +
            (left.length ? `; waiting for ${list(left, 5)}` : ''),
        });
        if (!left.length) {
          const cancelled = st.requests?.length ? `; ${st.requests.length} spot request(s) cancelled` : '';
          return {
            status: 'done',
            summary: ids.length
              ? `${ids.length} ETL instance(s) terminated: ${list(ids)}${cancelled}`
              : `no ETL instance was running${cancelled}`,
          };
        }
        if (ctx.now() - st.startedAt > cfg.terminateTimeoutMs) {
          return {
            status: 'fail',
            reason:
              `EC2 still reports ${left.length} ETL instance(s) not terminated after ` +
              `${duration(cfg.terminateTimeoutMs)}: ${list(left)} (${left.map((id) => states.get(id)).join(', ')}). ` +
              'Look at them in the EC2 console; SpotManager stays stopped.',
          };
        }
        return { status: 'wait', recheckInMs: cfg.pollMs };
      }),
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
