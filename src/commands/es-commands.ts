import { CLUSTER_FLAG, NODE_ARG, str, type CommandSpec } from './spec.js';

/** /es: Elasticsearch cluster care. */
export type EsCommand =
  | { name: 'es.status'; cluster?: string }
  | { name: 'es.settings'; cluster?: string }
  | { name: 'es.drain'; node: string; dryRun: boolean; cleanStale: boolean; cluster?: string }
  | { name: 'es.undrain'; node: string; cluster?: string }
  | { name: 'es.help' };

export const ES_COMMANDS: readonly CommandSpec<EsCommand>[] = [
  {
    slash: '/es', verb: 'status', args: [], flags: [CLUSTER_FLAG], changes: false,
    summary: 'Cluster health, every node (IP, zone, shards, disk, excluded?) and the allocation settings',
    build: (v) => ({ name: 'es.status', cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es', verb: 'settings', args: [], flags: [CLUSTER_FLAG], changes: false,
    summary: 'Allocation settings, persistent and transient side by side, with override warnings',
    build: (v) => ({ name: 'es.settings', cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es', verb: 'drain', args: [NODE_ARG], changes: true,
    flags: [
      { name: 'dry-run', kind: 'boolean', help: 'show the plan and change nothing' },
      { name: 'clean-stale', kind: 'boolean', help: 'also remove list entries that match no node' },
      CLUSTER_FLAG,
    ],
    summary: 'Move every shard off a node (its IP added to the exclusion list), with live progress until it is safe to stop',
    build: (v) => ({ name: 'es.drain', node: String(v.args.node), dryRun: v.flags['dry-run'] === true, cleanStale: v.flags['clean-stale'] === true, cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es', verb: 'undrain', args: [NODE_ARG], flags: [CLUSTER_FLAG], changes: true,
    summary: 'Allow allocation back to a node: removes only its entry from the exclusion list',
    build: (v) => ({ name: 'es.undrain', node: String(v.args.node), cluster: str(v.flags.cluster) }),
  },
  {
    slash: '/es', verb: 'help', args: [], flags: [], changes: false,
    summary: 'This list',
    build: () => ({ name: 'es.help' }),
  },
];
