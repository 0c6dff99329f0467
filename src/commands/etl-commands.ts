import { DRY_RUN_FLAG, dryRun, num, type CommandSpec } from './spec.js';

/** /etl: the ETL fleet and SpotManager; /spot: SpotManager's own log. */
export type EtlCommand =
  | { name: 'etl.status' }
  | { name: 'etl.budget'; amount?: number; dryRun: boolean }
  | { name: 'etl.deploy'; commit: string; dryRun: boolean }
  | { name: 'etl.backfill'; dryRun: boolean }
  | { name: 'spot.start'; dryRun: boolean }
  | { name: 'etl.help' }
  | { name: 'spot.log'; lines: number }
  | { name: 'spot.help' };

/** /spot log answers with at most this many lines (a thread stays readable, a message under Slack's limits). */
export const MAX_LOG_LINES = 200;

export const ETL_COMMANDS: readonly CommandSpec<EtlCommand>[] = [
  {
    slash: '/etl',
    verb: 'status',
    args: [],
    flags: [],
    changes: false,
    summary:
      'SpotManager (enabled or stopped, its last run), the ETL instances by state and the ETL queues with their trend',
    build: () => ({ name: 'etl.status' }),
  },
  {
    slash: '/etl',
    verb: 'budget',
    args: [{ name: 'dollars-per-hour', kind: 'number', optional: true }],
    flags: [DRY_RUN_FLAG],
    changes: true,
    summary: 'Show the ETL budget, or change it (only the ETL settings file; the card shows the current exposure)',
    build: (v) =>
      typeof v.args['dollars-per-hour'] === 'number'
        ? { name: 'etl.budget', amount: v.args['dollars-per-hour'], dryRun: dryRun(v) }
        : { name: 'etl.budget', dryRun: dryRun(v) },
  },
  {
    slash: '/etl',
    verb: 'deploy',
    args: [{ name: 'commit', kind: 'commit' }],
    flags: [DRY_RUN_FLAG],
    changes: true,
    summary:
      "The runbook's ETL production deployment of a commit: stop SpotManager, terminate the ETL instances, " +
      'create buckets and queues, push to the etl branch, pull and start SpotManager, and watch it come up',
    build: (v) => ({ name: 'etl.deploy', commit: String(v.args.commit), dryRun: dryRun(v) }),
  },
  {
    slash: '/etl',
    verb: 'backfill',
    args: [],
    flags: [DRY_RUN_FLAG],
    changes: true,
    summary:
      'Push the source keys the destination lacks onto the work queue and ' +
      'follow it draining (refused while the queue holds more than 100 messages)',
    build: (v) => ({ name: 'etl.backfill', dryRun: dryRun(v) }),
  },
  {
    slash: '/etl',
    verb: 'help',
    args: [],
    flags: [],
    changes: false,
    summary: 'This list',
    build: () => ({ name: 'etl.help' }),
  },
  {
    slash: '/spot',
    verb: 'log',
    args: [{ name: 'lines', kind: 'number', optional: true }],
    flags: [],
    changes: false,
    summary: `The last lines of SpotManager's log (default 40, at most ${MAX_LOG_LINES}), error lines highlighted`,
    build: (v) => ({
      name: 'spot.log',
      lines: Math.max(1, Math.min(MAX_LOG_LINES, Math.floor(num(v.args.lines, 40)))),
    }),
  },
  {
    slash: '/spot',
    verb: 'start',
    args: [],
    flags: [DRY_RUN_FLAG],
    changes: true,
    summary:
      'Start SpotManager: restore exactly the ETL cron line the bot disabled (after a deploy that stopped it and ' +
      'was denied, expired or kept; refused while a deploy runs)',
    build: (v) => ({ name: 'spot.start', dryRun: dryRun(v) }),
  },
  {
    slash: '/spot',
    verb: 'help',
    args: [],
    flags: [],
    changes: false,
    summary: 'This list',
    build: () => ({ name: 'spot.help' }),
  },
];
