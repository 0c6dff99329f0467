/**
 * Throw from a step to say "this may work if tried again later" (a target that is restarting,
 * a rate limit). The engine keeps the run in its step and re-runs it with backoff.
 */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableError';
  }
}

/** A runbook or engine misconfiguration: a programming error, never retried. */
export class EngineConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineConfigError';
  }
}

/** Socket-level failures: the other end is down, restarting or unreachable for now. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** HTTP answers that mean "later": rate limited, or a proxy/gateway in front of a restarting node. */
const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/**
 * The Elasticsearch client's transport errors carry no status code (the request never got an
 * answer), so they are recognised by name: ConnectionError, TimeoutError, NoLivingConnectionsError.
 */
const TRANSIENT_NAMES = new Set(['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError']);

interface ErrorLike {
  /** Adapters (which import nothing of ours) mark their transient errors with `retryable: true`. */
  retryable?: unknown;
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  status?: unknown;
  meta?: { statusCode?: unknown };
  cause?: unknown;
  errors?: unknown;
}

/** Whether a step's error is worth retrying rather than failing the run. */
export function isRetryable(err: unknown, depth = 0): boolean {
  if (err instanceof RetryableError) return true;
  if (depth > 4 || err === null || typeof err !== 'object') return false;
  const e = err as ErrorLike;
  if (e.retryable === true) return true;
  if (e.retryable === false) return false;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  const status = e.statusCode ?? e.meta?.statusCode ?? e.status;
  if (typeof status === 'number' && TRANSIENT_STATUS.has(status)) return true;
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  // Node wraps socket errors (fetch's "fetch failed", AggregateError of several addresses).
  if (e.cause !== undefined && isRetryable(e.cause, depth + 1)) return true;
  if (Array.isArray(e.errors)) return e.errors.some((inner) => isRetryable(inner, depth + 1));
  return false;
}

/** A one-line description of anything thrown, for run.error and notes. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as ErrorLike).code;
    return typeof code === 'string' && !err.message.includes(code)
      ? `${err.message} (${code})`
      : err.message || err.name;
  }
  return typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err));
}
