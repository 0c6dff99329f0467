import { CLUSTER_FLAG, DRY_RUN_FLAG, NODE_ARG, dryRun, str, type CommandSpec } from './spec.js';

const ENABLE_VALUES = ['none', 'primaries', 'new_primaries', 'all'] as const;
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const FAST_FLAG = {
  name: 'fast',
  kind: 'boolean',
  help:
    "raise the recovery throttles to the cluster's fastRecovery limits (opsbot.yaml) during the drain; " +
    'restored after',
} as const;

/** /es: Elasticsearch cluster care. */
export type EsCommand =
  | { name: 'es.status'; cluster?: string }
  | { name: 'es.settings'; cluster?: string }
  | { name: 'es.recovery'; cluster?: string }
  | { name: 'es.shards'; node: string; cluster?: string }
  | { name: 'es.explain'; index: string; shard: number; primary: boolean; cluster?: string }
  | { name: 'es.health'; indices: boolean; cluster?: string }
  | {
      name: 'es.drain';
      /** The first node named; `nodes` holds every node named, in order, duplicates folded. */
      node: string;
      nodes: string[];
      dryRun: boolean;
      cleanStale: boolean;
      fast: boolean;
      cluster?: string;
    }
  | { name: 'es.undrain'; dryRun: boolean; node: string; cluster?: string }
  | { name: 'es.bounce'; dryRun: boolean; nodes: string[]; cluster?: string }
  | { name: 'es.rolling-restart'; dryRun: boolean; zone?: string; cluster?: string }
  | {
      name: 'es.maintain';
      dryRun: boolean;
      node: string;
      change?: string;
      excludeSpot: boolean;
      fast: boolean;
      cluster?: string;
    }
  | { name: 'es.allocation'; dryRun: boolean; enable: (typeof ENABLE_VALUES)[number]; cluster?: string }
  | { name: 'es.exclude-zone'; dryRun: boolean; zone: string; cluster?: string }
  | { name: 'es.include-zone'; dryRun: boolean; zone: string; cluster?: string }
  | { name: 'es.help' };

export const ES_COMMANDS: readonly CommandSpec<EsCommand>[] = [
  {
    slash: '/es',
    verb: 'status',
    args: [],
    flags: [CLUSTER_FLAG],
    changes: false,
    summary: 'Cluster health, every node (IP, zone, shards, disk, excluded?) and the allocation settings',
    build: (v) => ({ name: 'es.status', cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es',
    verb: 'settings',
    args: [],
    flags: [CLUSTER_FLAG],
    changes: false,
    summary: 'Allocation settings, persistent and transient side by side, with override warnings',
    build: (v) => ({ name: 'es.settings', cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es',
    verb: 'recovery',
    args: [],
    flags: [CLUSTER_FLAG],
    changes: false,
    summary:
      'Recovery throttles (persistent, transient, in force), the shards moving now ' +
      '(source → target, bytes, rate) and each node in and out',
    build: (v) => ({ name: 'es.recovery', cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es',
    verb: 'shards',
    args: [NODE_ARG],
    flags: [CLUSTER_FLAG],
    changes: false,
    summary: 'The shard copies on a node by index: primaries and replicas, sizes, copies not started',
    build: (v) => ({ name: 'es.shards', node: String(v.args.node), cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es',
    verb: 'health',
    args: [],
    flags: [
      { name: 'indices', kind: 'boolean', help: 'the red and yellow indices, each with why its copies are unassigned' },
      CLUSTER_FLAG,
    ],
    changes: false,
    summary: 'Cluster health and its shard counts; with --indices the red and yellow indices and why, worst first',
    build: (v) => ({ name: 'es.health', indices: v.flags.indices === true, cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es',
    verb: 'explain',
    args: [
      { name: 'index', kind: 'name' },
      { name: 'shard', kind: 'number' },
    ],
    flags: [{ name: 'primary', kind: 'boolean', help: 'explain the primary (default: a replica)' }, CLUSTER_FLAG],
    changes: false,
    summary:
      "Why a shard copy is where it is (or unassigned): ES's allocation explanation, each node's verdict in words",
    build: (v) => ({
      name: 'es.explain',
      index: String(v.args.index),
      shard: Number(v.args.shard),
      primary: v.flags.primary === true,
      cluster: str(v.flags.cluster),
    }),
  },
  {
    slash: '/es',
    verb: 'drain',
    args: [{ ...NODE_ARG, variadic: true, fold: true }],
    changes: true,
    flags: [
      DRY_RUN_FLAG,
      { name: 'clean-stale', kind: 'boolean', help: 'also remove list entries that match no node' },
      FAST_FLAG,
      CLUSTER_FLAG,
    ],
    summary:
      'Move every shard off one or more nodes (their IPs added to the exclusion list in one write), ' +
      'with live progress until each is safe to stop',
    build: (v) => {
      const nodes = list(v.args.node);
      return {
        name: 'es.drain',
        node: nodes[0] ?? '',
        nodes,
        dryRun: dryRun(v),
        cleanStale: v.flags['clean-stale'] === true,
        fast: v.flags.fast === true,
        cluster: str(v.flags.cluster),
      };
    },
  },
  {
    slash: '/es',
    verb: 'undrain',
    args: [NODE_ARG],
    flags: [CLUSTER_FLAG, DRY_RUN_FLAG],
    changes: true,
    summary: 'Allow allocation back to a node: removes only its entry from the exclusion list',
    build: (v) => ({ name: 'es.undrain', dryRun: dryRun(v), node: String(v.args.node), cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es',
    verb: 'bounce',
    args: [{ name: 'node', kind: 'name', variadic: true }],
    flags: [CLUSTER_FLAG, DRY_RUN_FLAG],
    changes: true,
    summary:
      'Controlled bounce: disable shard movement, restart each node over SSH ' +
      '(one at a time, each must rejoin), enable shard movement, wait for health',
    build: (v) => ({ name: 'es.bounce', dryRun: dryRun(v), nodes: list(v.args.node), cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es',
    verb: 'rolling-restart',
    args: [],
    changes: true,
    flags: [
      { name: 'zone', kind: 'string', help: 'only the nodes of this zone attribute (e.g. spot)' },
      CLUSTER_FLAG,
      DRY_RUN_FLAG,
    ],
    summary:
      "Restart every node (or one zone's) one at a time, never the next while the cluster is red or initializing",
    build: (v) => ({
      name: 'es.rolling-restart',
      dryRun: dryRun(v),
      zone: str(v.flags.zone),
      cluster: str(v.flags.cluster),
    }),
  },
  {
    slash: '/es',
    verb: 'maintain',
    args: [NODE_ARG],
    changes: true,
    flags: [
      {
        name: 'change',
        kind: 'string',
        help: 'a named change from opsbot.yaml to run while the node is stopped (instead of pausing for you)',
      },
      {
        name: 'exclude-spot',
        kind: 'boolean',
        help: 'first exclude zone spot (the runbook\'s "ensure all nodes are reliable")',
      },
      FAST_FLAG,
      CLUSTER_FLAG,
      DRY_RUN_FLAG,
    ],
    summary:
      'The whole "Changing Cluster Config" procedure for one node: drain, disable ' +
      'shard movement, stop, your change, start, enable, allow allocation back',
    build: (v) => ({
      name: 'es.maintain',
      dryRun: dryRun(v),
      node: String(v.args.node),
      change: str(v.flags.change),
      excludeSpot: v.flags['exclude-spot'] === true,
      fast: v.flags.fast === true,
      cluster: str(v.flags.cluster),
    }),
  },
  {
    slash: '/es',
    verb: 'allocation',
    args: [{ name: 'enable', kind: 'enum', values: ENABLE_VALUES }],
    flags: [CLUSTER_FLAG, DRY_RUN_FLAG],
    changes: true,
    summary: 'Set cluster.routing.allocation.enable (persistent): none disables shard movement, all enables it',
    build: (v) => ({
      name: 'es.allocation',
      dryRun: dryRun(v),
      enable: String(v.args.enable) as (typeof ENABLE_VALUES)[number],
      cluster: str(v.flags.cluster),
    }),
  },
  {
    slash: '/es',
    verb: 'exclude-zone',
    args: [{ name: 'zone', kind: 'name' }],
    flags: [CLUSTER_FLAG, DRY_RUN_FLAG],
    changes: true,
    summary: 'Move shards off every node of a zone (e.g. spot): the zone is added to exclude.zone',
    build: (v) => ({
      name: 'es.exclude-zone',
      dryRun: dryRun(v),
      zone: String(v.args.zone),
      cluster: str(v.flags.cluster),
    }),
  },
  {
    slash: '/es',
    verb: 'include-zone',
    args: [{ name: 'zone', kind: 'name' }],
    flags: [CLUSTER_FLAG, DRY_RUN_FLAG],
    changes: true,
    summary: 'Let shards back on a zone: only that zone leaves exclude.zone',
    build: (v) => ({
      name: 'es.include-zone',
      dryRun: dryRun(v),
      zone: String(v.args.zone),
      cluster: str(v.flags.cluster),
    }),
  },
  {
    slash: '/es',
    verb: 'help',
    args: [],
    flags: [],
    changes: false,
    summary: 'This list',
    build: () => ({ name: 'es.help' }),
  },
];
