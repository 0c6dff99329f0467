import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EC2_ACTIONS } from './ec2-actions.js';
import { Ec2Sim, type Ec2SimOptions } from './ec2-sim.js';
import { Ec2SimError } from './ec2-types.js';
import { errorXml, responseXml } from './ec2-xml.js';
import { QueryParams } from './query-params.js';
import { verifySigV4, type Credentials } from './sigv4-check.js';

export interface Ec2Simulator {
  sim: Ec2Sim;
  /** http://127.0.0.1:PORT: the endpoint to give the SDK. */
  url: string;
  /** Every action received, in order (tests assert what was and was not called). */
  calls: { action: string; params: Record<string, string> }[];
  close(): Promise<void>;
}

export interface Ec2SimulatorOptions extends Ec2SimOptions {
  /** Access keys it accepts; requests signed with anything else get AuthFailure, as from EC2. */
  credentials: Credentials[];
  port?: number;
}

/**
 * The EC2 Query API on loopback: form-encoded POSTs (or GET queries) with `Action=…`, SigV4
 * checked, XML answers in EC2's shapes, so `@aws-sdk/client-ec2` works against it unchanged.
 */
export async function startEc2Simulator(opts: Ec2SimulatorOptions): Promise<Ec2Simulator> {
  const sim = new Ec2Sim(opts);
  const calls: Ec2Simulator['calls'] = [];
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const send = (status: number, xml: string) => {
      res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': 'sim' });
      res.end(xml);
    };
    const verdict = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
      opts.credentials,
    );
    if (!verdict.ok) return send(401, errorXml(verdict.code, verdict.message));
    const params = new URLSearchParams(
      req.method === 'POST' ? body.toString('utf8') : new URL(req.url ?? '/', 'http://sim').search,
    );
    const action = params.get('Action') ?? '';
    calls.push({ action, params: Object.fromEntries(params) });
    const fn = EC2_ACTIONS[action];
    if (!fn)
      return send(
        400,
        errorXml('InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`),
      );
    try {
      send(200, responseXml(action, fn(sim, new QueryParams(params))));
    } catch (err) {
      if (err instanceof Ec2SimError) return send(err.status, errorXml(err.code, err.message));
      send(500, errorXml('InternalError', 'An internal error has occurred'));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    sim,
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
