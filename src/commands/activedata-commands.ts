import { DRY_RUN_FLAG, dryRun, num, str, type CommandSpec } from './spec.js';

/** Lines `/activedata logs` shows when not told; at most LOG_LINES_MAX (the adapter caps bytes too). */
export const LOG_LINES_DEFAULT = 50;
export const LOG_LINES_MAX = 1000;

/** /activedata: the ActiveData service on its frontend machine (runbook: "ActiveData Service"). */
export type ActiveDataCommand =
  | { name: 'activedata.deploy'; branch?: string; dryRun: boolean }
  | { name: 'activedata.rollback'; commit: string; dryRun: boolean }
  | { name: 'activedata.restart'; dryRun: boolean }
  | { name: 'activedata.status' }
  | { name: 'activedata.logs'; lines: number; grep?: string; errors: boolean }
  | { name: 'activedata.config' }
  | { name: 'activedata.help' };

export const ACTIVEDATA_COMMANDS: readonly CommandSpec<ActiveDataCommand>[] = [
  {
    slash: '/activedata',
    verb: 'deploy',
    args: [{ name: 'branch', kind: 'name', optional: true }],
    flags: [DRY_RUN_FLAG],
    changes: true,
    summary:
      'git pull origin <branch> (default master) on the frontend, then restart ' +
      'the service with supervisor and check it answers on the new commit',
    build: (v) => ({ name: 'activedata.deploy', branch: str(v.args.branch), dryRun: dryRun(v) }),
  },
  {
    slash: '/activedata',
    verb: 'rollback',
    args: [{ name: 'commit', kind: 'name' }],
    flags: [DRY_RUN_FLAG],
    changes: true,
    summary: 'Return the checkout to an earlier commit and restart the service',
    build: (v) => ({ name: 'activedata.rollback', commit: String(v.args.commit), dryRun: dryRun(v) }),
  },
  {
    slash: '/activedata',
    verb: 'restart',
    args: [],
    flags: [DRY_RUN_FLAG],
    changes: true,
    summary: 'Use supervisor to restart the service, then check it answers',
    build: (v) => ({ name: 'activedata.restart', dryRun: dryRun(v) }),
  },
  {
    slash: '/activedata',
    verb: 'status',
    args: [],
    flags: [],
    changes: false,
    summary: "Supervisor state and uptime, the current commit, the health URL's answer",
    build: () => ({ name: 'activedata.status' }),
  },
  {
    slash: '/activedata',
    verb: 'logs',
    args: [{ name: 'lines', kind: 'number', optional: true }],
    flags: [
      { name: 'grep', kind: 'text', help: 'only lines containing this text (plain text, not a pattern)' },
      { name: 'errors', kind: 'boolean', help: 'the error log instead of the service log' },
    ],
    changes: false,
    summary:
      `The last lines of /logs/active_data.log (default ${LOG_LINES_DEFAULT}, ` +
      `at most ${LOG_LINES_MAX}) as a snippet in a thread`,
    build: (v) => ({
      name: 'activedata.logs',
      lines: Math.max(1, Math.min(LOG_LINES_MAX, Math.floor(num(v.args.lines, LOG_LINES_DEFAULT)))),
      grep: str(v.flags.grep),
      errors: v.flags.errors === true,
    }),
  },
  {
    slash: '/activedata',
    verb: 'config',
    args: [],
    flags: [],
    changes: false,
    summary: "The service's supervisord.conf, with secrets masked",
    build: () => ({ name: 'activedata.config' }),
  },
  {
    slash: '/activedata',
    verb: 'help',
    args: [],
    flags: [],
    changes: false,
    summary: 'This list',
    build: () => ({ name: 'activedata.help' }),
  },
];
