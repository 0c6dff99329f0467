import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatchOps, type OpsRoute } from './ops-routes.js';

export interface OpsServer {
  /** http://host:port, with the port actually bound (port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

/**
 * A small node:http listener for the ops endpoints, where Bolt's HTTP receiver is not there to
 * carry them: the worker process, the web process in Socket Mode, or anywhere OPSBOT_HTTP_PORT
 * asks for them on a port of their own (a private interface, away from Slack's public URL).
 */
export async function startOpsServer(
  routes: readonly OpsRoute[],
  opts: { port: number; host?: string },
): Promise<OpsServer> {
  const server: Server = createServer(dispatchOps(routes));
  // Probes and scrapes are short; a stuck client must not hold shutdown for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
