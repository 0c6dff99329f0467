import { z } from 'zod';

/** Names of things we put into paths and commands: letters, digits, dot, dash, underscore. */
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be letters, digits, ".", "_" or "-"');
const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name an environment variable (UPPER_CASE)');

const esAuth = z.union([
  z.object({ apiKeyEnv: envVarName }).strict(),
  z.object({ usernameEnv: envVarName, passwordEnv: envVarName }).strict(),
]);

const sshHost = z
  .object({
    user: name.default('ec2-user'),
    port: z.number().int().min(1).max(65535).default(22),
    /** known_hosts file the host keys are verified against: never trust on first use. */
    knownHosts: z.string().optional(),
    /** Which address of a node (from the cluster's own node list) SSH connects to. */
    address: z.enum(['ip', 'host']).default('ip'),
    /**
     * How long a node command (stop, start, restart, a change) may run before it is ended and the
     * step fails; the default, SSH_DEFAULTS.commandTimeoutMs in src/targets/ssh, is 10 minutes.
     */
    commandTimeoutMs: z.number().int().positive().optional(),
    /**
     * A deadline per command template, by its name (`stop`, `start`, `restart`, or a change's
     * name), over `commandTimeoutMs`: a restart that waits for the service may need longer than a
     * stop, and a resize script its own.
     */
    commandTimeoutsMs: z.record(name, z.number().int().positive()).default({}),
  })
  .strict();

/** How long node-level waits may take before the run fails (and offers to re-enable allocation). */
const nodeTimeouts = z
  .object({
    /** A restarted or started node must be back in the cluster within this. */
    rejoinMs: z
      .number()
      .int()
      .positive()
      .default(15 * 60_000),
    /** A stopped node must have left the cluster within this. */
    leaveMs: z
      .number()
      .int()
      .positive()
      .default(5 * 60_000),
    /** After shard movement is enabled again, health must recover within this. */
    recoveryMs: z
      .number()
      .int()
      .positive()
      .default(6 * 3600_000),
    /** How often node-level waits look at the cluster. */
    pollMs: z.number().int().positive().default(5_000),
  })
  .strict();

/**
 * Shell command templates run on a node over SSH, written by the operator. `{node}`, `{ip}` and
 * `{host}` are replaced by that node's values from the cluster's own node list, quoted; no text
 * from Slack ever enters them.
 */
const nodeCommands = z
  .object({
    stop: z.string().default('sudo systemctl stop elasticsearch'),
    start: z.string().default('sudo systemctl start elasticsearch'),
    restart: z.string().default('sudo systemctl restart elasticsearch'),
  })
  .strict();

/** A byte size as Elasticsearch writes one: `400mb`, `1g`, `512kb` (binary units, as ES parses them). */
const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|k|kb|m|mb|g|gb|t|tb|p|pb)$/i, 'must be a byte size such as 400mb or 1gb');
const recoveryCount = z.number().int().min(1).max(1000);

/**
 * What `/es drain NODE --fast` raises the recovery throttles to for the drain (what the network
 * and the disks can carry), restored to the exact previous values when the drain ends. Unset: no
 * --fast on this cluster. A key left out is not touched.
 */
const fastRecovery = z
  .object({
    /** `indices.recovery.max_bytes_per_sec`: each node's recovery traffic in, and out. */
    maxBytesPerSec: byteSize,
    /** `cluster.routing.allocation.node_concurrent_recoveries`: both directions at once. */
    nodeConcurrentRecoveries: recoveryCount.optional(),
    /** `cluster.routing.allocation.node_concurrent_incoming_recoveries`. */
    nodeConcurrentIncomingRecoveries: recoveryCount.optional(),
    /** `cluster.routing.allocation.node_concurrent_outgoing_recoveries`. */
    nodeConcurrentOutgoingRecoveries: recoveryCount.optional(),
  })
  .strict();

const cluster = z
  .object({
    url: z.url('must be the cluster URL, e.g. http://localhost:9200'),
    auth: esAuth.optional(),
    /** PEM file of the CA that signed the cluster's certificate (https URLs). */
    caFile: z.string().optional(),
    /** Which allocation filter a drain writes: the runbook uses _ip; _name where several nodes share an IP. */
    excludeBy: z.enum(['_ip', '_name']).default('_ip'),
    requestTimeoutMs: z.number().int().positive().default(10_000),
    ssh: sshHost.default({ user: 'ec2-user', port: 22, address: 'ip', commandTimeoutsMs: {} }),
    timeouts: nodeTimeouts.default({
      rejoinMs: 15 * 60_000,
      leaveMs: 5 * 60_000,
      recoveryMs: 6 * 3600_000,
      pollMs: 5_000,
    }),
    commands: nodeCommands.default({
      stop: 'sudo systemctl stop elasticsearch',
      start: 'sudo systemctl start elasticsearch',
      restart: 'sudo systemctl restart elasticsearch',
    }),
    /** Named changes an operator registered for /es maintain (e.g. resize-heap: "sudo /opt/es/resize-heap.sh"). */
    changes: z.record(name, z.string()).default({}),
    /** The limits `--fast` raises the recovery throttles to on this cluster (unset: no --fast). */
    fastRecovery: fastRecovery.optional(),
  })
  .strict();

const host = z
  .object({
    host: z.string().min(1),
    user: name.default('ec2-user'),
    port: z.number().int().min(1).max(65535).default(22),
    knownHosts: z.string().optional(),
  })
  .strict();

/** AWS: the ETL fleet, queues and buckets. Credentials come from the SDK's standard environment variables. */
const aws = z
  .object({
    /** The runbook's ETL runs in us-west-2 (SpotManager's availability_zone us-west-2c). */
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-west-2')
      .default('us-west-2'),
    /** Only to point the bot at stand-ins (local mode, tests); unset = AWS itself. */
    endpoints: z
      .object({ ec2: z.url().optional(), sqs: z.url().optional(), s3: z.url().optional() })
      .strict()
      .default({}),
    /** Path-style bucket URLs (needed by S3 stand-ins reached by IP). */
    s3ForcePathStyle: z.boolean().default(false),
    requestTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

/** The ETL code's git checkout on the manager host; its remote is where the `etl` branch lives (GitHub in 2016). */
const etlRepo = z
  .object({
    /** Relative to the SSH user's home, like spotManager.dir. */
    checkout: z.string().min(1).default('ActiveData-ETL'),
    remote: name.default('origin'),
    /** The branch the ETL instances run ("Push code to `etl` branch"). */
    branch: name.default('etl'),
    /**
     * The ETL settings files in the repository: every queue, bucket and ES table they name is
     * checked by /etl deploy.
     */
    settingsFiles: z
      .array(
        z
          .string()
          .min(1)
          .regex(/^[A-Za-z0-9._/-]+$/, 'must be a path inside the repository'),
      )
      .min(1)
      .default(['resources/settings/etl.json']),
  })
  .strict();

/** The backfill (FACTS): source keys the destination lacks go onto the work queue; refused while the queue is busy. */
const etlBackfill = z
  .object({
    source: name.default('ekyle-pulse-logger'),
    destination: name.default('ekyle-test-result'),
    /** The real backfill refuses while the work queue holds more than this. */
    maxQueued: z.number().int().nonnegative().default(100),
    /** At most this many keys in one backfill run (the queue drains them before the next). */
    maxKeys: z.number().int().positive().default(10_000),
    /** Keys per S3 listing page (S3's most: 1000); small pages let tests cross page boundaries. */
    listPageSize: z.number().int().min(1).max(1000).default(1000),
    /** How often the draining queue is looked at. */
    pollMs: z.number().int().positive().default(30_000),
  })
  .strict();

/** Timings of /etl deploy. */
const etlDeploy = z
  .object({
    /** The ES cluster the new tables are checked in (default: defaultCluster). */
    cluster: name.optional(),
    /** How often the waiting steps look again. */
    pollMs: z.number().int().positive().default(30_000),
    /** Stop SpotManager: its log must stay without a new run for this long after the cron line is disabled. */
    stopQuietMs: z.number().int().nonnegative().default(120_000),
    /** Terminate all ETL instances: EC2 must report them terminated within this. */
    terminateTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(15 * 60_000),
    /** Confirm the development run: objects written to the buckets since this long ago count. */
    devRunWindowMs: z
      .number()
      .int()
      .positive()
      .default(24 * 3600_000),
    /**
     * Confirm nothing blows up: succeeds once the wanted instances are set up and no error line
     * appeared for this long.
     */
    quietMs: z
      .number()
      .int()
      .nonnegative()
      .default(30 * 60_000),
    /** ... and fails if that has not happened within this. */
    watchTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(3 * 3600_000),
  })
  .strict();

/** The ETL's AWS resources, by the names in FACTS.md (dev names carry a -dev suffix). */
const etl = z
  .object({
    /** SpotManager's ec2.instance.name: every instance whose Name starts with it is SpotManager's. */
    instanceName: z.string().min(1).default('ActiveData ETL spot instance'),
    /** The work queue SpotManager sizes the fleet by. */
    workQueue: name.default('active-data-etl'),
    /** Every queue /etl status shows (the work queue and the index queues). */
    queues: z
      .array(name)
      .default([
        'active-data-etl',
        'active-data-index',
        'active-data-index-perf',
        'active-data-index-jobs',
        'active-data-index-codecoverage',
      ]),
    buckets: z
      .array(name)
      .default([
        'active-data-perfherder',
        'active-data-perf',
        'active-data-jobs',
        'ekyle-test-result',
        'active-data-codecoverage',
      ]),
    /** The ETL's code (/etl deploy): a checkout on the manager host whose remote holds the branch the instances run. */
    repo: etlRepo.default(() => etlRepo.parse({})),
    /** /etl backfill: keys of the source bucket missing from the destination go onto the work queue. */
    backfill: etlBackfill.default(() => etlBackfill.parse({})),
    /** How /etl deploy waits and watches. */
    deploy: etlDeploy.default(() => etlDeploy.parse({})),
  })
  .strict();

/** Where SpotManager lives on the manager host. Relative paths are from the SSH user's home / the checkout. */
const spotManager = z
  .object({
    /** The checkout (branch beta); relative to the home directory of manager.user. */
    dir: z.string().min(1).default('SpotManager'),
    /** The ETL settings file, relative to dir: the only file /etl budget edits. */
    settingsFile: z.string().min(1).default('examples/config/etl_settings.json'),
    /** The ES spot manager's settings: never edited; named so the bot can refuse to touch it. */
    esSettingsFile: z.string().min(1).default('examples/config/es_settings.json'),
    /** SpotManager's log (debug.log filename of the ETL settings), relative to dir. */
    logFile: z.string().min(1).default('examples/logs/examples_etl.log'),
    branch: name.default('beta'),
    /** A cron file to edit (e.g. /etc/cron.d/spotmanager); unset = the user's crontab (crontab -l / crontab -). */
    cronFile: z.string().min(1).optional(),
    /** A cron line containing any of these runs the ETL SpotManager (the ES one must match none). */
    cronMarkers: z.array(z.string().min(3)).min(1).default(['run_etl.sh', 'etl_settings.json']),
  })
  .strict();

/**
 * The ActiveData frontend (runbook: "ActiveData Service"). Defaults are the runbook's and the
 * 2016 repositories' values; `~/` paths are relative to the SSH user's home.
 */
const service = host
  .extend({
    /** The git checkout the runbook pulls in ("On the frontend machine run git pull origin master"). */
    checkout: z.string().min(1).default('~/ActiveData'),
    remote: name.default('origin'),
    /** What `/activedata deploy` pulls when no branch is given. */
    branch: name.default('master'),
    /** supervisor's program name (it varied by era: active_data, gunicorn, flask:*). */
    program: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:*-]{0,62}$/, 'must be a supervisor program or group:* name')
      .default('gunicorn'),
    /** How supervisorctl is called on the host, as an argv (each element is quoted). */
    supervisorctl: z.array(z.string().min(1)).min(1).default(['sudo', 'supervisorctl']),
    /** Runbook: "Configuration is ~/ActiveData/resources/config/supervisord.conf". */
    configFile: z.string().min(1).default('~/ActiveData/resources/config/supervisord.conf'),
    /** Runbook: "Logs are /logs/active_data.log". */
    logFile: z.string().min(1).default('/logs/active_data.log'),
    errorLogFile: z.string().min(1).default('/logs/active_data.error.log'),
    /** Fetched on the frontend itself (curl over SSH), so localhost means the frontend. */
    healthUrl: z
      .url("must be the service's version URL, e.g. http://localhost:8080/__version__")
      .default('http://localhost:8080/__version__'),
    /** How long a restarted service may take to be RUNNING and answer the health URL. */
    startTimeoutSeconds: z.number().int().positive().default(120),
  })
  .strict();

const slackIdList = z.array(z.string().regex(/^[A-Z0-9]+$/, 'must be a Slack ID such as U012ABCDEF'));

export const estateSchema = z
  .object({
    defaultCluster: name,
    clusters: z.record(name, cluster).refine((c) => Object.keys(c).length > 0, 'at least one cluster is needed'),
    /** The SpotManager machine (runs the ETL and ES spot managers from cron). */
    manager: host.optional(),
    /** The ActiveData frontend machine. */
    service: service.optional(),
    aws: aws.default(() => aws.parse({})),
    etl: etl.default(() => etl.parse({})),
    spotManager: spotManager.default(() => spotManager.parse({})),
    approvers: z
      .object({
        users: slackIdList.default([]),
        usergroups: slackIdList.default([]),
      })
      .strict()
      .default({ users: [], usergroups: [] }),
    approvalTtlMinutes: z.number().positive().default(30),
    /** How long an ended run (its record, once-set, idempotency key) stays in Redis; never a live one. */
    retention: z
      .object({ endedRunDays: z.number().positive().default(30) })
      .strict()
      .default({ endedRunDays: 30 }),
    /** How old an approval may be when its step comes to run: older, and the card asks again. */
    maxApprovalAgeMinutes: z.number().positive().default(60),
    /** Who may run what, where, and who approves (see policy.example.yaml); relative to this file. */
    policyFile: z.string().optional(),
  })
  .strict()
  .superRefine((estate, ctx) => {
    if (!(estate.defaultCluster in estate.clusters)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultCluster'],
        message: `names no cluster (known: ${Object.keys(estate.clusters).join(', ')})`,
      });
    }
  });

export type Estate = z.infer<typeof estateSchema>;
export type ClusterConfig = z.infer<typeof cluster>;
export type HostConfig = z.infer<typeof host>;
export type ServiceConfig = z.infer<typeof service>;
export type AwsConfig = z.infer<typeof aws>;
export type EtlConfig = z.infer<typeof etl>;
export type SpotManagerConfig = z.infer<typeof spotManager>;
export type EtlRepoConfig = z.infer<typeof etlRepo>;
export type EtlDeployConfig = z.infer<typeof etlDeploy>;
export type EtlBackfillConfig = z.infer<typeof etlBackfill>;
export type EstateInput = z.input<typeof estateSchema>;
