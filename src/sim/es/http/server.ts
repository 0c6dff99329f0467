import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EsError } from '../es-error.js';
import type { SimCluster } from '../sim-cluster.js';
import { addCatNodeRoutes } from './cat-node-routes.js';
import { addCatShardRoutes } from './cat-shard-routes.js';
import { addClusterRoutes } from './cluster-routes.js';
import { FaultInjector } from './faults.js';
import { addIndexRoutes } from './index-routes.js';
import { addIndexSettingsRoutes } from './index-settings-routes.js';
import { addOpenCloseRoutes } from './open-close-routes.js';
import { Router, type EsRequest, type EsResponse } from './router.js';
import { addSimRoutes } from './sim-routes.js';

export interface EsSimulator {
  url: string;
  cluster: SimCluster;
  setSpeed(factor: number): void;
  close(): Promise<void>;
}

export interface EsSimulatorOptions {
  cluster: SimCluster;
  host?: string;
  port?: number;
  /** Simulated ms per real ms; default 1. */
  speed?: number;
  /** Real ms between automatic advances; 0 = none (tests call cluster.advance). Default 100. */
  tickMs?: number;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** ES 8 accepts these request body types (plus the compatible-with vendor forms). */
const JSON_TYPES = /^application\/(json|x-ndjson|vnd\.elasticsearch\+(json|x-ndjson))\b/i;

/**
 * An HTTP server that the official @elastic/elasticsearch 8 client talks to unchanged: every
 * answer carries `x-elastic-product: Elasticsearch`, errors have ES's shape and status, and
 * simulated time follows real time × speed (or only `cluster.advance` when tickMs is 0).
 */
export async function startEsSimulator(opts: EsSimulatorOptions): Promise<EsSimulator> {
  const { cluster } = opts;
  let speed = opts.speed ?? 1;
  const faults = new FaultInjector();
  const closing = new AbortController();
  let tickError: string | null = null;
  const esRouter = new Router();
  addClusterRoutes(esRouter, cluster, closing.signal);
  addCatNodeRoutes(esRouter, cluster);
  addCatShardRoutes(esRouter, cluster);
  addIndexRoutes(esRouter, cluster);
  addIndexSettingsRoutes(esRouter, cluster);
  addOpenCloseRoutes(esRouter, cluster);
  const simRouter = new Router();
  addSimRoutes(simRouter, {
    cluster,
    faults,
    getSpeed: () => speed,
    setSpeed: (f) => {
      speed = f;
    },
    tickError: () => tickError,
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) =>
      send(res, req.method === 'HEAD', e instanceof EsError ? errorResponse(e) : internalError(e)),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const isSim = url.pathname === '/_sim' || url.pathname.startsWith('/_sim/');
    const raw = await readBody(req);
    if (!isSim) {
      const action = faults.take();
      if (action.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (action.kind === 'status') return send(res, method === 'HEAD', errorResponse(action.error));
      if (action.kind === 'hold') {
        await faults.waitUntilCleared();
        if (req.socket.destroyed) return;
      }
    }
    let response: EsResponse;
    try {
      const request: EsRequest = {
        method,
        path: url.pathname,
        params: {},
        query: url.searchParams,
        body: parseBody(raw, req),
        headers: req.headers,
      };
      const { handler, params } = (isSim ? simRouter : esRouter).resolve(method, url.pathname);
      request.params = params;
      response = await handler(request);
    } catch (e) {
      response = e instanceof EsError ? errorResponse(e) : internalError(e);
    }
    send(res, method === 'HEAD', response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;

  const tickMs = opts.tickMs ?? 100;
  let lastTick = performance.now();
  const ticker =
    tickMs > 0
      ? setInterval(() => {
          const nowReal = performance.now();
          const elapsed = nowReal - lastTick;
          lastTick = nowReal;
          if (speed <= 0) return;
          try {
            cluster.advance(elapsed * speed);
          } catch (e) {
            // A throw here would kill the process from a timer; keep serving and report it in /_sim/state.
            tickError = e instanceof Error ? (e.stack ?? e.message) : String(e);
          }
        }, tickMs)
      : null;
  ticker?.unref();

  return {
    url: `http://${address.address}:${address.port}`,
    cluster,
    setSpeed(factor: number) {
      if (!(factor >= 0)) throw new Error(`speed must be >= 0, got ${factor}`);
      speed = factor;
    },
    async close() {
      if (ticker) clearInterval(ticker);
      closing.abort();
      faults.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, head: boolean, r: EsResponse): void {
  if (res.headersSent || res.destroyed) return;
  const isText = typeof r.body === 'string';
  const payload = r.body === undefined ? '' : isText ? (r.body as string) : JSON.stringify(r.body);
  res.statusCode = r.status;
  res.setHeader('x-elastic-product', 'Elasticsearch');
  res.setHeader('content-type', r.contentType ?? (isText ? 'text/plain; charset=UTF-8' : 'application/json'));
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  res.setHeader('content-length', Buffer.byteLength(payload));
  res.end(head ? undefined : payload);
}

function errorResponse(e: EsError): EsResponse {
  return { status: e.status, body: e.toBody() };
}

function internalError(e: unknown): EsResponse {
  const reason = e instanceof Error ? e.message : String(e);
  return errorResponse(new EsError(500, 'exception', reason));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new EsError(413, 'content_too_long_exception', 'request body is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** ES refuses bodies it cannot read: a missing or non-JSON Content-Type is a 406. */
function parseBody(raw: string, req: IncomingMessage): unknown {
  if (raw.trim() === '') return undefined;
  const type = req.headers['content-type'];
  if (!type) throw new EsError(406, '', 'Content-Type header is missing', {}, true);
  if (!JSON_TYPES.test(type)) throw new EsError(406, '', `Content-Type header [${type}] is not supported`, {}, true);
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new EsError(400, 'x_content_parse_exception', `[1:1] Unexpected character: ${(e as Error).message}`);
  }
}
