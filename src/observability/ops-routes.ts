import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { HealthChecks, HealthReport } from './health-checks.js';
import type { BotMetrics } from './metrics.js';
import { DASHBOARD_PATH, type RequestHandler } from './queue-dashboard.js';

/** The shape of Bolt's AppOptions.customRoutes entries, so the same list serves both listeners. */
export interface OpsRoute {
  path: string;
  method: string | string[];
  handler: RequestHandler;
}

export interface OpsRoutesDeps {
  health: HealthChecks;
  metrics: BotMetrics;
  /** The queue dashboard (web process, token configured); absent: its path answers 404. */
  dashboard?: RequestHandler;
  log: Logger;
}

function sendReport(res: ServerResponse, report: HealthReport): void {
  res.writeHead(report.ok ? 200 : 503, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  const body = {
    status: report.ok ? 'ok' : 'unavailable',
    ...(report.reason ? { reason: report.reason } : {}),
    checks: report.checks,
  };
  res.end(`${JSON.stringify(body)}\n`);
}

/**
 * The operators' endpoints:
 * - /livez   liveness: the event loop answers. Never depends on Redis or Slack, so an
 *            orchestrator does not restart a healthy process during a Redis outage.
 * - /healthz health: Redis and Slack reachable (200), or 503 naming what is not.
 * - /readyz  readiness: health, once start-up is over and until shutdown begins.
 * - /metrics Prometheus text format.
 * - /admin/queues the queue dashboard, when configured.
 */
export function opsRoutes(deps: OpsRoutesDeps): OpsRoute[] {
  const guard =
    (name: string, fn: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RequestHandler =>
    (req, res) => {
      fn(req, res).catch((err: unknown) => {
        deps.log.error({ err, path: name }, 'ops endpoint failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    };
  const routes: OpsRoute[] = [
    {
      path: '/livez',
      method: 'GET',
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end('{"status":"ok"}\n');
      },
    },
    {
      path: '/healthz',
      method: 'GET',
      handler: guard('/healthz', async (_req, res) => sendReport(res, await deps.health.health())),
    },
    {
      path: '/readyz',
      method: 'GET',
      handler: guard('/readyz', async (_req, res) => sendReport(res, await deps.health.readiness())),
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: guard('/metrics', async (_req, res) => {
        const body = await deps.metrics.render();
        res.writeHead(200, { 'content-type': deps.metrics.contentType });
        res.end(body);
      }),
    },
  ];
  if (deps.dashboard) {
    // path-to-regexp 8 (Bolt's matcher): the mount point itself and everything under it.
    routes.push({
      path: `${DASHBOARD_PATH}{/*rest}`,
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      handler: deps.dashboard,
    });
  }
  return routes;
}

/** Routes the standalone listener's requests (Socket Mode web, worker) like Bolt would. */
export function dispatchOps(routes: readonly OpsRoute[]): RequestHandler {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    for (const route of routes) {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
      const prefix = route.path.replace(/\{\/\*rest\}$/, '');
      const matches = route.path === prefix ? path === prefix : path === prefix || path.startsWith(`${prefix}/`);
      if (matches && methods.includes(method)) return route.handler(req, res);
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    const dashboard = routes.some((r) => r.path.startsWith(DASHBOARD_PATH)) ? `, ${DASHBOARD_PATH}` : '';
    res.end(`not found: /livez, /healthz, /readyz, /metrics${dashboard}\n`);
  };
}
