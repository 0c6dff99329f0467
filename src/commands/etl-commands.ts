import { num, type CommandSpec } from './spec.js';

/** /etl: the ETL fleet and SpotManager; /spot: SpotManager's own log. */
export type EtlCommand =
  | { name: 'etl.status' }
  | { name: 'etl.budget'; amount?: number }
  | { name: 'etl.help' }
  | { name: 'spot.log'; lines: number }
  | { name: 'spot.help' };

/** /spot log answers with at most this many lines (a thread stays readable, a message under Slack's limits). */
export const MAX_LOG_LINES = 200;

export const ETL_COMMANDS: readonly CommandSpec<EtlCommand>[] = [
  {
    slash: '/etl', verb: 'status', args: [], flags: [], changes: false,
    summary: 'SpotManager (enabled or stopped, its last run), the ETL instances by state and the ETL queues with their trend',
    build: () => ({ name: 'etl.status' }),
  },
  {
    slash: '/etl', verb: 'budget', args: [{ name: 'dollars-per-hour', kind: 'number', optional: true }], flags: [], changes: true,
    summary: 'Show the ETL budget, or change it (only the ETL settings file; the card shows the current exposure)',
    build: (v) => (typeof v.args['dollars-per-hour'] === 'number' ? { name: 'etl.budget', amount: v.args['dollars-per-hour'] } : { name: 'etl.budget' }),
  },
  {
    slash: '/etl', verb: 'help', args: [], flags: [], changes: false,
    summary: 'This list',
    build: () => ({ name: 'etl.help' }),
  },
  {
    slash: '/spot', verb: 'log', args: [{ name: 'lines', kind: 'number', optional: true }], flags: [], changes: false,
    summary: `The last lines of SpotManager's log (default 40, at most ${MAX_LOG_LINES}), error lines highlighted`,
    build: (v) => ({ name: 'spot.log', lines: Math.max(1, Math.min(MAX_LOG_LINES, Math.floor(num(v.args.lines, 40)))) }),
  },
  {
    slash: '/spot', verb: 'help', args: [], flags: [], changes: false,
    summary: 'This list',
    build: () => ({ name: 'spot.help' }),
  },
];
