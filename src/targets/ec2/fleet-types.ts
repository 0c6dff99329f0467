/** An EC2 instance as the bot needs it. */
export interface Ec2Instance {
  id: string;
  type: string;
  zone: string;
  /** EC2's state name: pending, running, shutting-down, terminated, stopping, stopped. */
  state: string;
  name?: string;
  spotRequestId?: string;
  launchedAt?: number;
}

/** A spot instance request. `bid` is its SpotPrice ($/hour): what SpotManager counts as exposure. */
export interface SpotRequest {
  id: string;
  /** open, active, closed, cancelled, failed */
  state: string;
  /** The status code (pending-fulfillment, fulfilled, price-too-low, ...). */
  statusCode?: string;
  instanceId?: string;
  type: string;
  zone?: string;
  bid: number;
  name?: string;
  createdAt?: number;
}

/**
 * Where a member of the ETL fleet is on its way up. requested: a spot request with no instance yet;
 * pending: the instance boots; running: EC2 says running, SpotManager has not set it up;
 * setup: tagged "<name> (running)" by SpotManager once set up; terminating: shutting down.
 */
export type EtlPhase = 'requested' | 'pending' | 'running' | 'setup' | 'terminating';
export const ETL_PHASES: readonly EtlPhase[] = ['requested', 'pending', 'running', 'setup', 'terminating'];

export interface EtlMember {
  phase: EtlPhase;
  /** The instance id, or the spot request id while nothing is launched. */
  id: string;
  instanceId?: string;
  spotRequestId?: string;
  type: string;
  zone?: string;
  name?: string;
  /** The spot request's bid, $/hour. */
  bid?: number;
  /** The current spot price of its type in its zone, $/hour (what it costs now). */
  pricePerHour?: number;
  launchedAt?: number;
}

/** SpotManager's fleet: every instance and open request whose Name starts with its instance name. */
export interface EtlFleet {
  members: EtlMember[];
  counts: Record<EtlPhase, number>;
  /** Sum of the current spot prices of the live instances, $/hour. */
  hourlyCost: number;
  /** Sum of the bids of open and active requests, $/hour: SpotManager's "Total Exposure". */
  exposure: number;
  instances: Ec2Instance[];
  requests: SpotRequest[];
}
