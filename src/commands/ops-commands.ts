import { num, str, type ArgSpec, type CommandSpec } from './spec.js';

const RUN_ARG: ArgSpec = { name: 'run', kind: 'name' };

/** /ops: the bot itself and its runs. */
export type OpsCommand =
  | { name: 'ops.jobs'; count: number }
  | { name: 'ops.audit'; count: number; run?: string }
  | { name: 'ops.cancel'; run: string }
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
    verb: 'help',
    args: [],
    flags: [],
    changes: false,
    summary: 'Every command of every slash command',
    build: () => ({ name: 'ops.help' }),
  },
];
