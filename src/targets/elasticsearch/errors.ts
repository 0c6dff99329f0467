import { errors } from '@elastic/elasticsearch';
import { OperatorError } from '../../problem.js';

export type ClusterErrorKind = 'unreachable' | 'timeout' | 'auth' | 'busy' | 'rejected';

const CHECK_CLUSTER = 'Check the cluster (/es status), then ask again.';
const CLUSTER_NEXT: Record<ClusterErrorKind, string> = {
  unreachable: CHECK_CLUSTER,
  timeout: CHECK_CLUSTER,
  auth: "Ask whoever runs the bot to fix this cluster's credentials, then ask again.",
  busy: CHECK_CLUSTER,
  rejected: CHECK_CLUSTER,
};

/** Why a cluster call failed, in words an operator can act on. Never carries credentials. */
export class ClusterError extends OperatorError {
  override name = 'ClusterError';
  constructor(
    message: string,
    readonly kind: ClusterErrorKind,
    /** Transient (network, 429, 5xx): a waiting run retries instead of failing. */
    readonly retryable: boolean,
    readonly statusCode?: number,
    next: string = CLUSTER_NEXT[kind],
  ) {
    super(message, next);
  }
}

/** Translates the official client's errors; `cluster` and `url` name where it happened. */
export function describeClusterError(err: unknown, cluster: string, url: string): ClusterError {
  if (err instanceof ClusterError) return err;
  const where = `cluster ${cluster} (${url})`;
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode ?? 0;
    const reason = esReason(err.body) ?? err.message;
    if (status === 401 || status === 403) {
      return new ClusterError(
        `${where} refused our credentials (HTTP ${status}): check ` +
          'the API key or user named in opsbot.yaml for this cluster',
        'auth',
        false,
        status,
      );
    }
    if (status === 429 || status >= 500) {
      return new ClusterError(`${where} is busy or failing (HTTP ${status}: ${reason})`, 'busy', true, status);
    }
    return new ClusterError(`${where} rejected the request (HTTP ${status}): ${reason}`, 'rejected', false, status);
  }
  if (err instanceof errors.TimeoutError) {
    return new ClusterError(`${where} did not answer in time: check the cluster's load and network`, 'timeout', true);
  }
  if (err instanceof errors.ProductNotSupportedError) {
    return new ClusterError(
      `${where} does not answer as Elasticsearch: check the URL in opsbot.yaml`,
      'rejected',
      false,
    );
  }
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) {
    const cause = err.message.replace(/https?:\/\/[^\s]*@/g, 'http://[redacted]@');
    return new ClusterError(
      `${where} is unreachable (${cause}): check that it is up and that the URL in opsbot.yaml is right`,
      'unreachable',
      true,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ClusterError(`${where}: ${message}`, 'rejected', false);
}

function esReason(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const e = (body as { error?: unknown }).error;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const { type, reason } = e as { type?: string; reason?: string };
    return [type, reason].filter(Boolean).join(': ') || undefined;
  }
  return undefined;
}
