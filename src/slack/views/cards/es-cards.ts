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
import { drainDryRunView, drainPlanBlocks, undrainPlanBlocks } from '../drain-plan-view.js';
import { maintainBlocks, maintenanceBlocks } from '../maintenance-view.js';
import { card } from './card.js';

/** The cards of the Elasticsearch runbooks. */
export const ES_CARDS = [
  card(drain, { details: (p) => drainPlanBlocks(p), dryRun: drainDryRunView }),
  card(undrain, { details: (p) => undrainPlanBlocks(p) }),
  card(bounce, { details: maintenanceBlocks }),
  card(rollingRestart, { details: maintenanceBlocks }),
  card(allocation, { details: maintenanceBlocks }),
  card(excludeZoneRun, { details: maintenanceBlocks }),
  card(includeZoneRun, { details: maintenanceBlocks }),
  card(maintain, { details: maintainBlocks }),
];
