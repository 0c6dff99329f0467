import { createServer, request, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
  /** Bytes of the answer's body, once it has been sent. */ responseBytes: number;
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  /** The requests that changed cluster settings, bodies parsed. */
  settingsWrites(): Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy that forwards everything to `target` and records each request: how the
 * tests see what the bot really sent to the cluster (how many settings writes, which endpoints).
 */
export async function startRecordingProxy(
  target: string,
  /** Called after each request was answered: a test can act "between" two requests of the bot. */
  afterResponse?: (r: RecordedRequest) => Promise<void> | void,
  /** Called before a request is forwarded; false drops it (never reaches the cluster, connection reset). */
  beforeForward?: (r: RecordedRequest) => Promise<boolean> | boolean,
): Promise<RecordingProxy> {
  const t = new URL(target);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: body.toString(),
        responseBytes: 0,
      };
      requests.push(record);
      void Promise.resolve(beforeForward?.(record) ?? true).then((forward) => {
        if (forward) return send(record, body);
        requests.splice(requests.indexOf(record), 1); // it never reached the cluster
        res.destroy();
      });
    });
    const send = (record: RecordedRequest, body: Buffer) => {
      const upstream = request(
        {
          host: t.hostname,
          port: t.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: t.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.on('data', (c: Buffer) => {
            record.responseBytes += c.length;
            res.write(c);
          });
          up.on('end', () => {
            void Promise.resolve(afterResponse?.(record)).finally(() => res.end());
          });
        },
      );
      upstream.on('error', () => {
        res.destroy();
      });
      upstream.end(body);
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    settingsWrites: () =>
      requests
        .filter((r) => r.method === 'PUT' && r.path.startsWith('/_cluster/settings'))
        .map((r) => JSON.parse(r.body) as Record<string, unknown>),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
