import { z } from 'zod';

/** Names of things we put into paths and commands: letters, digits, dot, dash, underscore. */
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be letters, digits, ".", "_" or "-"');
const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name an environment variable (UPPER_CASE)');

const esAuth = z.union([
  z.object({ apiKeyEnv: envVarName }).strict(),
  z.object({ usernameEnv: envVarName, passwordEnv: envVarName }).strict(),
]);

const sshHost = z.object({
  user: name.default('ec2-user'),
  port: z.number().int().min(1).max(65535).default(22),
  /** known_hosts file the host keys are verified against: never trust on first use. */
  knownHosts: z.string().optional(),
}).strict();

/** Shell command templates run on a node over SSH. Only {node}-free fixed text: no user input enters them. */
const nodeCommands = z.object({
  stop: z.string().default('sudo systemctl stop elasticsearch'),
  start: z.string().default('sudo systemctl start elasticsearch'),
  restart: z.string().default('sudo systemctl restart elasticsearch'),
}).strict();

const cluster = z.object({
  url: z.url('must be the cluster URL, e.g. http://localhost:9200'),
  auth: esAuth.optional(),
  /** PEM file of the CA that signed the cluster's certificate (https URLs). */
  caFile: z.string().optional(),
  /** Which allocation filter a drain writes: the runbook uses _ip; _name where several nodes share an IP. */
  excludeBy: z.enum(['_ip', '_name']).default('_ip'),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  ssh: sshHost.default({ user: 'ec2-user', port: 22 }),
  commands: nodeCommands.default({
    stop: 'sudo systemctl stop elasticsearch',
    start: 'sudo systemctl start elasticsearch',
    restart: 'sudo systemctl restart elasticsearch',
  }),
  /** Named changes an operator registered for /es maintain (e.g. resize-heap: "sudo /opt/es/resize-heap.sh"). */
  changes: z.record(name, z.string()).default({}),
}).strict();

const host = z.object({
  host: z.string().min(1),
  user: name.default('ec2-user'),
  port: z.number().int().min(1).max(65535).default(22),
  knownHosts: z.string().optional(),
}).strict();

const slackIdList = z.array(z.string().regex(/^[A-Z0-9]+$/, 'must be a Slack ID such as U012ABCDEF'));

export const estateSchema = z.object({
  defaultCluster: name,
  clusters: z.record(name, cluster).refine((c) => Object.keys(c).length > 0, 'at least one cluster is needed'),
  /** The SpotManager machine (runs the ETL and ES spot managers from cron). */
  manager: host.optional(),
  /** The ActiveData frontend machine. */
  service: host.optional(),
  approvers: z.object({
    users: slackIdList.default([]),
    usergroups: slackIdList.default([]),
  }).strict().default({ users: [], usergroups: [] }),
  approvalTtlMinutes: z.number().positive().default(30),
}).strict().superRefine((estate, ctx) => {
  if (!(estate.defaultCluster in estate.clusters)) {
    ctx.addIssue({ code: 'custom', path: ['defaultCluster'], message: `names no cluster (known: ${Object.keys(estate.clusters).join(', ')})` });
  }
});

export type Estate = z.infer<typeof estateSchema>;
export type ClusterConfig = z.infer<typeof cluster>;
export type HostConfig = z.infer<typeof host>;
export type EstateInput = z.input<typeof estateSchema>;
