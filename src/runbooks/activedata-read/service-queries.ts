import { servesCommit, type ConfigFile, type LogExcerpt, type ServiceStatus } from '../../targets/activedata/index.js';
import { readFrontend, type FrontendDeps } from '../activedata-deploy/frontend-access.js';

/** What `/activedata status` shows: the service as the frontend sees it, and where its files are. */
export interface ServiceStatusReport {
  status: ServiceStatus;
  logFile: string;
  configFile: string;
  /**
   * Set when the health URL answers another commit than the checkout's: the service was not
   * restarted since the checkout changed. Both short.
   */
  disagreement?: { serving: string; checkout: string };
}

/** `/activedata status`: supervisor state and uptime, the checkout's commit and branch, the health answer. */
export async function readServiceStatus(_req: object, deps: FrontendDeps): Promise<ServiceStatusReport> {
  return readFrontend(deps, async (svc) => {
    const status = await svc.status();
    const { health: h, commit } = status;
    const serving = h.ok ? h.version.commit : undefined;
    const disagreement =
      h.ok && commit && serving && !servesCommit(h.version, commit.sha)
        ? { serving: serving.slice(0, 7), checkout: commit.short }
        : undefined;
    return {
      status,
      logFile: svc.cfg.logFile,
      configFile: svc.cfg.configFile,
      ...(disagreement ? { disagreement } : {}),
    };
  });
}

/** What `/activedata logs` shows: the excerpt and the host it was read on. */
export interface ServiceLogsReport {
  excerpt: LogExcerpt;
  host: string;
}

/** `/activedata logs [lines] [--grep text] [--errors]`: the last lines (bounded) of the log or the error log. */
export async function readServiceLogs(
  req: { lines: number; grep?: string | undefined; errors: boolean },
  deps: FrontendDeps,
): Promise<ServiceLogsReport> {
  return readFrontend(deps, async (svc) => ({
    excerpt: await svc.logs(req.lines, { ...(req.grep !== undefined ? { grep: req.grep } : {}), errors: req.errors }),
    host: svc.cfg.host,
  }));
}

/** What `/activedata config` shows: supervisord.conf, secrets already masked, and its host. */
export interface ServiceConfigReport {
  file: ConfigFile;
  host: string;
}

/** `/activedata config`: supervisord.conf with passwords, tokens, keys and URL credentials masked. */
export async function readServiceConfigFile(_req: object, deps: FrontendDeps): Promise<ServiceConfigReport> {
  return readFrontend(deps, async (svc) => ({ file: await svc.config(), host: svc.cfg.host }));
}
