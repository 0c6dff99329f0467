import type { OpsServer } from '../observability/index.js';

/**
 * Starts the ops listener, or stops the process with one line when its port is taken: two
 * processes on one host each need their own OPSBOT_HTTP_PORT, and a silent listener-less worker
 * would look dead to every probe.
 */
export async function listenOpsOrExit(start: () => Promise<OpsServer>, port: number): Promise<OpsServer> {
  try {
    return await start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(
        `opsbot: environment: OPSBOT_HTTP_PORT: port ${port} is ${code === 'EADDRINUSE' ? 'in use' : 'not allowed'} ` +
          '(give each process on a host its own port, or 0 for any free one)\n',
      );
      process.exit(78);
    }
    throw err;
  }
}
