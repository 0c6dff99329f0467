import type { AwsConfig } from '../../config/estate.js';

export type AwsService = 'ec2' | 'sqs' | 's3';

/** What every SDK client of ours is built from: region, endpoint, credentials, timeouts. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

/**
 * SDK client settings for one service. Credentials come from the standard AWS variables of `env`
 * when they are set there (so tests and local mode can inject them); otherwise the SDK's own
 * chain applies (instance role, shared config), as on a production host.
 */
export function clientConfig(
  aws: AwsConfig,
  service: AwsService,
  env: NodeJS.ProcessEnv = process.env,
): AwsClientConfig {
  const endpoint = aws.endpoints[service];
  const keyId = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  return {
    region: aws.region,
    ...(endpoint ? { endpoint } : {}),
    ...(keyId && secret
      ? {
          credentials: {
            accessKeyId: keyId,
            secretAccessKey: secret,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
    // Two attempts: a command answers within seconds; a run step that fails is retried by the engine.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: Math.min(aws.requestTimeoutMs, 5_000), requestTimeout: aws.requestTimeoutMs },
  };
}

/** Where a service is reached, for messages: the configured endpoint or AWS's own. */
export function describeEndpoint(aws: AwsConfig, service: AwsService): string {
  return aws.endpoints[service] ?? `${service.toUpperCase()} in ${aws.region}`;
}
