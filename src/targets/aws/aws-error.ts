import { OperatorError } from '../../problem.js';

export type AwsErrorKind = 'credentials' | 'unreachable' | 'throttled' | 'not_found' | 'refused';

const AWS_NEXT: Record<AwsErrorKind, string> = {
  credentials: 'Ask whoever runs the bot to fix its AWS credentials, then ask again.',
  unreachable: 'Check the network (or aws.endpoints in opsbot.yaml), then ask again.',
  throttled: 'Wait a minute, then ask again.',
  not_found: 'Check that it still exists in AWS, then ask again.',
  refused: "Check the request and the bot's AWS permissions, then ask again.",
};

/**
 * An AWS problem in words an operator can act on; `retryable` tells the engine to try again later,
 * `next` (by default one per kind) what a person should do.
 */
export class AwsError extends OperatorError {
  override name = 'AwsError';
  constructor(
    message: string,
    readonly kind: AwsErrorKind,
    readonly retryable: boolean,
    readonly code?: string,
    next: string = AWS_NEXT[kind],
  ) {
    super(message, next);
  }
}

const CREDENTIAL_CODES = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'ExpiredToken',
  'ExpiredTokenException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  Code?: string;
}

/**
 * Turns whatever the SDK threw into an AwsError that says what to check. `what` names the call
 * ("EC2 DescribeInstances"), `where` the endpoint.
 */
export function toAwsError(err: unknown, what: string, where: string): AwsError {
  if (err instanceof AwsError) return err;
  const e = (err ?? {}) as SdkLikeError;
  const code = e.Code ?? e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = (e.message ?? String(err)).split('\n')[0]!.slice(0, 200);
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(detail)) {
    return new AwsError(
      `${what}: no AWS credentials found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the bot.`,
      'credentials',
      false,
      code,
    );
  }
  if (
    CREDENTIAL_CODES.has(code) ||
    status === 401 ||
    (status === 403 && /signature|credential|token|access key/i.test(detail))
  ) {
    return new AwsError(
      `${what}: AWS refused the credentials (${code}: ${detail}). Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
      'credentials',
      false,
      code,
    );
  }
  const netCode = e.code ?? (NETWORK_CODES.has(code) ? code : undefined);
  if ((netCode && NETWORK_CODES.has(netCode)) || code === 'TimeoutError' || code === 'RequestTimeout') {
    return new AwsError(
      `${what}: cannot reach ${where} (${netCode ?? code}). Check the network, or aws.endpoints in opsbot.yaml.`,
      'unreachable',
      true,
      netCode ?? code,
    );
  }
  if (THROTTLE_CODES.has(code) || (status !== undefined && (status === 429 || status >= 500))) {
    return new AwsError(
      `${what}: AWS is busy (${code}${status ? `, HTTP ${status}` : ''}); trying again later will likely work.`,
      'throttled',
      true,
      code,
    );
  }
  if (/NotFound|NonExistent|NoSuchBucket|DoesNotExist/.test(code)) {
    return new AwsError(`${what}: ${detail}`, 'not_found', false, code);
  }
  return new AwsError(`${what}: AWS refused the request (${code}: ${detail})`, 'refused', false, code);
}
