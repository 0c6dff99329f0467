import { planned, refuse, type PlanResult } from '../plan.js';
import { DISABLED_MARK } from '../../targets/spotmanager/index.js';
import { mergeNames, readTables, resourceNames } from '../../targets/etl/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import { etlDeploy, shortSha, type EtlDeployParams, type SpotStartParams, spotStart } from './deploy-params.js';
import { fleetMembers } from './fleet-steps.js';
import { describeEtlProblem, isEtlProblem } from './operator-errors.js';

const NOTHING = 'Nothing was changed.';

/**
 * `/etl deploy COMMIT`: everything the card shows before anything changes, read from the estate:
 * the commit (it must exist in the ETL repository, after a fetch, and be a fast-forward of the
 * branch), the commits it brings, the queues, buckets and tables its settings name and whether
 * they exist, the fleet that will be terminated and SpotManager's state. A refusal says why and
 * changes nothing; an estate that cannot be read is a refusal too, in its own words.
 */
export async function planEtlDeploy(
  req: { commit: string },
  deps: EtlDeployDeps,
): Promise<PlanResult<EtlDeployParams>> {
  try {
    return await readDeployPlan(req.commit, deps);
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    return refuse(`Cannot plan the ETL deploy: ${describeEtlProblem(err, 'the plan')}`, NOTHING);
  }
}

async function readDeployPlan(commit: string, deps: EtlDeployDeps): Promise<PlanResult<EtlDeployParams>> {
  const { etl, estate } = deps;
  const cfg = estate.etl.repo;
  const repo = etl.repo();
  await repo.fetch();
  const [sha, head] = await Promise.all([repo.resolve(commit), repo.remoteHead()]);
  if (!sha)
    return refuse(
      `${commit} is not a commit of the ETL repository (${repo.where}, after git fetch ${cfg.remote}). ` +
        `Push it to ${cfg.remote} first, or check the id.`,
      NOTHING,
    );
  if (head === sha)
    return refuse(`${cfg.remote}/${cfg.branch} is already at ${shortSha(sha)}: nothing to deploy.`, NOTHING);
  const [forward, texts] = await Promise.all([
    head ? repo.isAncestor(head, sha) : true,
    Promise.all(cfg.settingsFiles.map(async (path) => ({ path, text: await repo.showFile(sha, path) }))),
  ]);
  if (head && !forward) {
    return refuse(
      `${shortSha(sha)} does not contain ${cfg.remote}/${cfg.branch} (${shortSha(head)}): ` +
        'pushing it would drop commits from the branch the instances run. ' +
        `Merge ${cfg.branch} into it first; the bot does not force-push.`,
      NOTHING,
    );
  }
  const absent = texts.filter((t) => t.text === undefined).map((t) => t.path);
  if (absent.length)
    return refuse(
      `${shortSha(sha)} has no ${absent.join(', ')}: the ETL settings that name its queues and buckets. ` +
        'Check the commit, or etl.repo.settingsFiles in opsbot.yaml.',
      NOTHING,
    );
  const names = mergeNames(texts.map((t) => resourceNames(t.text!, `${t.path} at ${shortSha(sha)}`)));
  const cluster = estate.etl.deploy.cluster ?? estate.defaultCluster;
  const sm = etl.spotManager();
  const [to, from, between, queues, buckets, tables, fleet, cron, settings, lastRun] = await Promise.all([
    repo.commit(sha),
    head ? repo.commit(head) : undefined,
    repo.between(head, sha, 10),
    Promise.all(names.queues.map(async (name) => ({ name, exists: (await etl.queues.url(name)) !== undefined }))),
    Promise.all(names.buckets.map(async (name) => ({ name, exists: await etl.buckets.exists(name) }))),
    readTables(deps.clusters.get(cluster), names.tables),
    etl.fleet.listEtlInstances(),
    sm.cronState(),
    sm.readSettings(),
    sm.lastRun(),
  ]);
  return planned(etlDeploy, {
    commit: to,
    ...(from ? { from } : {}),
    commits: between.commits,
    commitCount: between.count,
    repo: { where: repo.where, remote: cfg.remote, branch: cfg.branch, settingsFiles: cfg.settingsFiles },
    resources: {
      queues,
      buckets,
      tables: tables.map((t) => ({ alias: t.alias, exists: t.exists, unaliased: t.unaliased })),
    },
    fleet: {
      members: fleetMembers(fleet),
      hourlyCost: fleet.hourlyCost,
      exposure: fleet.exposure,
    },
    spotManager: {
      where: sm.where,
      enabled: cron.enabled,
      cronWhere: cron.where,
      budget: settings.budget,
      ...(lastRun?.startedAt !== undefined ? { lastRunAt: lastRun.startedAt } : {}),
    },
    cluster,
    workQueue: estate.etl.workQueue,
  });
}

/**
 * `/spot start`: "Start SpotManager" alone, for a deploy that stopped it and then ended without a
 * revert: it gives back only the lines that carry the bot's mark. Refused when its ETL cron line
 * already runs, or when no line is the bot's (someone commented it out by hand: maybe on purpose).
 * A deploy in flight holds the same lock, so the start is refused then, naming the deploy's run.
 */
export async function planSpotStart(
  _req: object,
  deps: Pick<EtlDeployDeps, 'etl'>,
): Promise<PlanResult<SpotStartParams>> {
  try {
    const sm = deps.etl.spotManager();
    const cron = await sm.cronState();
    if (cron.enabled)
      return refuse(`SpotManager is already enabled (its ETL line runs from ${cron.where}).`, 'Nothing to change.');
    const others = cron.lines
      .filter((l) => !l.enabled && !l.text.startsWith(DISABLED_MARK))
      .map((l) => ({ index: l.index, text: l.text }));
    if (!cron.marked.length) {
      const shown = others.map((l) => `line ${l.index + 1}: ${l.text}`).join('; ');
      return refuse(
        `SpotManager's ETL line in ${cron.where} is commented out, but not by the bot ` +
          `(no ${DISABLED_MARK.trim()} mark): ${shown}. Someone may have disabled it on purpose; ` +
          'the bot restores only lines it disabled itself.',
        'Restore the line by hand if SpotManager should run; nothing was changed.',
      );
    }
    return planned(spotStart, { where: sm.where, cronWhere: cron.where, lines: cron.marked, others });
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    return refuse(`Cannot read SpotManager's cron: ${describeEtlProblem(err, 'cron')}`, NOTHING);
  }
}
