import type { Estate } from '../../config/estate.js';
import { Ec2Fleet } from '../ec2/index.js';
import { Buckets } from '../s3/index.js';
import { SpotManager, SpotManagerError } from '../spotmanager/index.js';
import { Queues } from '../sqs/index.js';
import { SshHost } from '../ssh/index.js';
import { EtlRepo } from './etl-repo.js';

/**
 * The ETL's side of the estate, built from opsbot.yaml and the environment: SpotManager's fleet
 * on EC2, the queues and buckets, and SpotManager itself on the manager host. AWS clients are
 * made at once (they connect on first use); SpotManager needs the manager host and an SSH key,
 * and says which is missing when asked for without them.
 */
export class EtlTargets {
  readonly fleet: Ec2Fleet;
  readonly queues: Queues;
  readonly buckets: Buckets;
  private manager?: SpotManager;
  private etlRepo?: EtlRepo;
  private ssh?: SshHost;

  /**
   * @param opts.managerUnavailable why there is no manager host (local mode without an sshd):
   * said instead of "no manager host in opsbot.yaml" whenever SpotManager or the repository is asked for.
   */
  constructor(
    readonly estate: Estate,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly opts: { managerUnavailable?: string } = {},
  ) {
    this.fleet = new Ec2Fleet(estate.aws, estate.etl.instanceName, env);
    this.queues = new Queues(estate.aws, env);
    this.buckets = new Buckets(estate.aws, env);
  }

  get config() {
    return { etl: this.estate.etl, aws: this.estate.aws, spotManager: this.estate.spotManager };
  }

  /**
   * SpotManager on the manager host; a SpotManagerError (kind config) names what opsbot.yaml or the
   * environment lacks.
   */
  spotManager(): SpotManager {
    this.manager ??= new SpotManager(this.managerHost(), this.estate.spotManager);
    return this.manager;
  }

  /**
   * The ETL code's checkout on the manager host (etl.repo); the same errors as spotManager() when
   * the host is missing.
   */
  repo(): EtlRepo {
    this.etlRepo ??= new EtlRepo(this.managerHost(), this.estate.etl.repo);
    return this.etlRepo;
  }

  /** One connection to the manager host, reused for a few seconds: a deploy's plan is a dozen commands. */
  private managerHost(): SshHost {
    this.ssh ??= this.connectManager();
    return this.ssh;
  }

  private connectManager(): SshHost {
    if (this.opts.managerUnavailable) throw new SpotManagerError(this.opts.managerUnavailable, 'config');
    const host = this.estate.manager;
    if (!host)
      throw new SpotManagerError(
        'no manager host in opsbot.yaml (`manager: { host, user, knownHosts }`): the bot cannot reach SpotManager.',
        'config',
      );
    if (!host.knownHosts)
      throw new SpotManagerError(
        'manager.knownHosts is not set in opsbot.yaml: the manager ' +
          "host's key must be verified against a known_hosts file.",
        'config',
      );
    const key = this.env.SSH_PRIVATE_KEY_PATH;
    if (!key)
      throw new SpotManagerError(
        'SSH_PRIVATE_KEY_PATH is not set: the bot has no key to reach the manager host.',
        'config',
      );
    return new SshHost({
      host: host.host,
      port: host.port,
      user: host.user,
      privateKeyPath: key,
      knownHostsPath: host.knownHosts,
      reuseForMs: 3_000,
      ...(this.env.SSH_PASSPHRASE ? { passphrase: this.env.SSH_PASSPHRASE } : {}),
    });
  }

  close(): void {
    this.ssh?.close();
    this.fleet.close();
    this.queues.close();
    this.buckets.close();
  }
}
