export { Ec2Fleet, type TerminateResult, type CancelResult } from './ec2-fleet.js';
export { assembleFleet, instancePhase, hasPrefix } from './fleet-phase.js';
export {
  ETL_PHASES,
  type Ec2Instance,
  type EtlFleet,
  type EtlMember,
  type EtlPhase,
  type SpotRequest,
} from './fleet-types.js';
