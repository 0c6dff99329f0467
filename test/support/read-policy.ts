import type { Policy } from '../../src/config/policy.js';

/** The people of the test fixtures (alice, bob, carol, dave). */
const TEAM = { users: ['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAVE'], usergroups: [] };

/**
 * A policy that names the fixtures' team as readers of the reads that are closed by default (logs,
 * config, SpotManager's log, the audit trail); everything else keeps the built-in defaults.
 */
export const TEAM_READS: Policy = {
  rules: ['activedata logs', 'activedata config', 'spot log', 'ops audit'].map((command) => ({
    command,
    requesters: TEAM,
  })),
};
