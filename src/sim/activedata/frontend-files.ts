/** The supervisor program of the test frontend (the runbook era's name for the service). */
export const SERVICE_PROGRAM = 'active_data';

/** A secret in the service's environment: `/activedata config` must never show it. */
export const TEST_SECRET = 'hunter2-do-not-show';

/**
 * The service: answers GET /__version__ with {source, branch, commit} of the checkout it was
 * started from (ActiveData's answer since 2017), and logs one line a request to stdout, which
 * supervisor writes to /logs/active_data.log.
 */
export function serverSource(): string {
  // One line of the stand-in's source, built in two pieces only to keep this file's lines short.
  const versionLine =
    "const version = { source: git('config', '--get', 'remote.origin.url'), " +
    "branch: git('rev-parse', '--abbrev-ref', 'HEAD'), commit: git('rev-parse', 'HEAD') };";
  return `// ActiveData stand-in: the version endpoint and a request log, nothing else.
const { execFileSync } = require('node:child_process');
const http = require('node:http');
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
${versionLine}
const port = Number(process.env.PORT);
const log = (line) => console.log(new Date().toISOString() + ' - ' + line);
http.createServer((req, res) => {
  const known = req.method === 'GET' && req.url === '/__version__';
  log(req.method + ' ' + req.url + ' ' + (known ? 200 : 404));
  res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
  res.end(known ? JSON.stringify(version) : '{"error":"not found"}');
}).listen(port, '127.0.0.1', () => log('ActiveData ' + version.commit + ' listening on ' + port));
`;
}

/** A bad release: the process dies at start-up, as a Python service with a broken import does. */
export function brokenServerSource(): string {
  return `console.error('Traceback (most recent call last):');
console.error('ImportError: cannot import name "jx_elasticsearch" (broken release)');
process.exit(1);
`;
}

/** A release that starts (supervisor says RUNNING) but never answers: it hangs before listening. */
export function deafServerSource(): string {
  return `console.log(new Date().toISOString() + ' - warming the schema cache before listening');
setInterval(() => undefined, 60_000);
`;
}

/**
 * supervisord.conf for the test frontend: its own socket, pidfile and logs under the temp dir;
 * short start and stop times so a failed start is known in about a second.
 */
export function supervisordConf(o: {
  checkout: string;
  logs: string;
  run: string;
  port: number;
  node: string;
}): string {
  return `; ActiveData's supervisor configuration (test frontend)
[unix_http_server]
file=${o.run}/supervisor.sock
chmod=0700

[supervisord]
pidfile=${o.run}/supervisord.pid
logfile=${o.run}/supervisord.log
childlogdir=${o.logs}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${o.run}/supervisor.sock

[program:${SERVICE_PROGRAM}]
command=${o.node} server.cjs
directory=${o.checkout}
environment=PORT="${o.port}",ACTIVEDATA_SECRET_KEY="${TEST_SECRET}"
startsecs=1
startretries=1
stopwaitsecs=5
autorestart=true
stdout_logfile=${o.logs}/active_data.log
stderr_logfile=${o.logs}/active_data.error.log
`;
}
