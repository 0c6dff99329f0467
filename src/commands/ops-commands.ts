import { num, str, type ArgSpec, type CommandSpec } from './spec.js';

const RUN_ARG: ArgSpec = { name: 'run', kind: 'name' };

/** /ops: the bot itself and its runs. */
export type OpsCommand =
  | { name: 'ops.jobs'; count: number }
  | { name: 'ops.audit'; count: number; run?: string }
  | { name: 'ops.cancel'; run: string }
  | { name: 'ops.pause'; run: string }
  | { name: 'ops.resume'; run: string }
  | { name: 'ops.rerun'; run: string }
  | { name: 'ops.retry'; run: string }
  | { name: 'ops.help' };

export const OPS_COMMANDS: readonly CommandSpec<OpsCommand>[] = [
  {
    slash: '/ops',
    verb: 'jobs',
    args: [{ name: 'count', kind: 'number', optional: true }],
    flags: [],
    changes: false,
    summary: 'Active and recent runs: state, requester, approver, age',
    build: (v) => ({ name: 'ops.jobs', count: Math.min(50, num(v.args.count, 15)) }),
  },
  {
    slash: '/ops',
    verb: 'audit',
    args: [{ name: 'count', kind: 'number', optional: true }],
    flags: [{ name: 'run', kind: 'string', help: 'only the entries of one run' }],
    changes: false,
    summary: 'The audit log: requests, approvals, denials, steps and settings written',
    build: (v) => ({ name: 'ops.audit', count: Math.min(200, num(v.args.count, 20)), run: str(v.flags.run) }),
  },
  {
    slash: '/ops',
    verb: 'cancel',
    args: [RUN_ARG],
    flags: [],
    changes: false,
    summary: 'Stop a run at its next safe point, then choose to keep or revert what it changed',
    build: (v) => ({ name: 'ops.cancel', run: String(v.args.run) }),
  },
  {
    slash: '/ops',
    verb: 'pause',
    args: [RUN_ARG],
    flags: [],
    changes: false,
    summary: 'Pause a run at its next safe point (between steps); it keeps its lock. /ops resume goes on',
    build: (v) => ({ name: 'ops.pause', run: String(v.args.run) }),
  },
  {
    slash: '/ops',
    verb: 'resume',
    args: [RUN_ARG],
    flags: [],
    changes: false,
    summary: 'Resume a paused run where it stopped',
    build: (v) => ({ name: 'ops.resume', run: String(v.args.run) }),
  },
  {
    slash: '/ops',
    verb: 'rerun',
    args: [RUN_ARG],
    flags: [],
    changes: false,
    summary: 'Ask a failed or cancelled run again: same command, a fresh plan, a fresh approval',
    build: (v) => ({ name: 'ops.rerun', run: String(v.args.run) }),
  },
  {
    slash: '/ops',
    verb: 'retry',
    args: [RUN_ARG],
    flags: [],
    changes: false,
    summary: 'Run the failed step of a run again, if it is safe to repeat (approved again if destructive)',
    build: (v) => ({ name: 'ops.retry', run: String(v.args.run) }),
  },
  {
    slash: '/ops',
    verb: 'help',
    args: [],
    flags: [],
    changes: false,
    summary: 'Every command of every slash command',
    build: () => ({ name: 'ops.help' }),
  },
];
