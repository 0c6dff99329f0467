import {
  drain,
  undrain,
  bounce,
  rollingRestart,
  allocation,
  excludeZoneRun,
  includeZoneRun,
  maintain,
} from '../../../runbooks/index.js';
import type { Run } from '../../../engine/index.js';
import type { MaintenanceParams } from '../../../runbooks/index.js';
import { drainDryRunView, drainPlanBlocks, undrainPlanBlocks } from '../drain-plan-view.js';
import { withPlanBlocks } from '../dry-run-view.js';
import { feasibilityBlocks } from '../feasibility-view.js';
import { maintainBlocks, maintenanceBlocks } from '../maintenance-view.js';
import { card } from './card.js';

/** Bounce, rolling restart, zone and allocation cards: the plan, then the per-shard precheck (if any). */
const maintenanceWithPrecheck = <P extends MaintenanceParams & { zone?: string }>(p: P, run: Run) => [
  ...maintenanceBlocks(p, run),
  ...feasibilityBlocks(p.feasibility),
];

/** The cards of the Elasticsearch runbooks. */
export const ES_CARDS = [
  card(drain, {
    details: (p) => [...drainPlanBlocks(p), ...feasibilityBlocks(p.feasibility)],
    dryRun: (p) => withPlanBlocks(drainDryRunView(p), feasibilityBlocks(p.feasibility)),
  }),
  card(undrain, { details: (p) => undrainPlanBlocks(p) }),
  card(bounce, { details: maintenanceWithPrecheck }),
  card(rollingRestart, { details: maintenanceWithPrecheck }),
  card(allocation, { details: maintenanceBlocks }),
  card(excludeZoneRun, { details: maintenanceWithPrecheck }),
  card(includeZoneRun, { details: maintenanceBlocks }),
  card(maintain, { details: (p) => [...maintainBlocks(p), ...feasibilityBlocks(p.feasibility)] }),
];
