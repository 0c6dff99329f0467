import type { Estate } from '../../config/estate.js';
import type { Clusters } from '../../targets/elasticsearch/index.js';
import { mergeNames, readTables, resourceNames, type EtlTargets } from '../../targets/etl/index.js';
import type { EtlDeployParams } from './deploy-params.js';
import { shortSha } from './deploy-params.js';
import { fleetMembers } from './fleet-steps.js';

export type DeployPlan = { ok: true; params: EtlDeployParams } | { ok: false; reason: string };

/**
 * Everything `/etl deploy COMMIT` shows before anything changes, read from the estate: the commit
 * (it must exist in the ETL repository, after a fetch, and be a fast-forward of the branch), the
 * commits it brings, the queues, buckets and tables its settings name and whether they exist, the
 * fleet that will be terminated and SpotManager's state. A refusal says why and changes nothing.
 */
export async function planEtlDeploy(
  deps: { etl: EtlTargets; clusters: Clusters; estate: Estate },
  commit: string,
): Promise<DeployPlan> {
  const { etl, estate } = deps;
  const cfg = estate.etl.repo;
  const repo = etl.repo();
  await repo.fetch();
  const [sha, head] = await Promise.all([repo.resolve(commit), repo.remoteHead()]);
  if (!sha)
    return {
      ok: false,
      reason: `${commit} is not a commit of the ETL repository (${repo.where}, after git fetch ${cfg.remote}). Push it to ${cfg.remote} first, or check the id.`,
    };
  if (head === sha)
    return { ok: false, reason: `${cfg.remote}/${cfg.branch} is already at ${shortSha(sha)}: nothing to deploy.` };
  const [forward, texts] = await Promise.all([
    head ? repo.isAncestor(head, sha) : true,
    Promise.all(cfg.settingsFiles.map(async (path) => ({ path, text: await repo.showFile(sha, path) }))),
  ]);
  if (head && !forward) {
    return {
      ok: false,
      reason: `${shortSha(sha)} does not contain ${cfg.remote}/${cfg.branch} (${shortSha(head)}): pushing it would drop commits from the branch the instances run. Merge ${cfg.branch} into it first; the bot does not force-push.`,
    };
  }
  const absent = texts.filter((t) => t.text === undefined).map((t) => t.path);
  if (absent.length)
    return {
      ok: false,
      reason: `${shortSha(sha)} has no ${absent.join(', ')}: the ETL settings that name its queues and buckets. Check the commit, or etl.repo.settingsFiles in opsbot.yaml.`,
    };
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
  return {
    ok: true,
    params: {
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
    },
  };
}
