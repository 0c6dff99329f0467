import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { carriesToken } from './http-auth.js';

export const DASHBOARD_PATH = '/admin/queues';

export interface DashboardOptions {
  /** The run queue (Engine.queue). */
  queue: Queue;
  /** OPSBOT_DASHBOARD_TOKEN: bearer token, or the password of basic auth. */
  token: string;
  /** false lets the dashboard retry, promote and remove jobs; default read-only. */
  readOnly?: boolean;
  basePath?: string;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The BullMQ dashboard (bull-board) for the run queue, behind a token. bull-board's express
 * adapter is an express app routed from "/", so the handler strips the mount path before handing
 * the request over; express itself comes with Bolt, no second web framework. Read-only by
 * default: a job's state is the engine's business, and a run is changed from Slack (cancel,
 * revert), where it is approved and audited.
 */
export function queueDashboard(opts: DashboardOptions): RequestHandler {
  const basePath = opts.basePath ?? DASHBOARD_PATH;
  const readOnly = opts.readOnly ?? true;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: [new BullMQAdapter(opts.queue, { readOnlyMode: readOnly })],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'opsbot runs' } },
  });
  const app = serverAdapter.getRouter() as (req: IncomingMessage, res: ServerResponse) => void;
  return (req, res) => {
    if (!carriesToken(req, opts.token)) {
      res.writeHead(401, {
        'content-type': 'text/plain; charset=utf-8',
        'www-authenticate': 'Basic realm="opsbot queues", charset="UTF-8"',
      });
      res.end(
        'The queue dashboard needs OPSBOT_DASHBOARD_TOKEN: as a bearer token, or as the password of basic auth.\n',
      );
      return;
    }
    // bull-board hides its buttons in read-only mode; refusing every write here as well covers
    // the few endpoints that do not look at that flag (its metrics-history purge).
    if (readOnly && req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' });
      res.end('The queue dashboard is read-only (OPSBOT_DASHBOARD_READONLY=false allows changes).\n');
      return;
    }
    const url = req.url ?? '/';
    if (url.startsWith(basePath)) req.url = url.slice(basePath.length) || '/';
    if (!req.url?.startsWith('/')) req.url = `/${req.url ?? ''}`;
    app(req, res);
  };
}
