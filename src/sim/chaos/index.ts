/**
 * The chaos suite's machinery: seeded fault schedules, the injector that applies them to the ES
 * simulator and the nodes' init system, and the monitor that checks the safety invariants I1–I5
 * against the simulator's routing table after every step.
 */
export {
  CHAOS_RUNBOOKS,
  FAULT_KINDS,
  describeSchedule,
  generateSchedule,
  type ChaosRunbook,
  type Fault,
  type FaultKind,
  type Schedule,
} from './fault-schedule.js';
export { FaultInjector, type FaultTargets } from './fault-injector.js';
export {
  INVARIANTS,
  InvariantMonitor,
  snapshotSettings,
  type Invariant,
  type SettingsSnapshot,
  type Violation,
} from './invariant-monitor.js';
export { NodeControl, type NodeAction } from './node-control.js';
export { ChaosTally, type ScheduleResult } from './chaos-tally.js';
