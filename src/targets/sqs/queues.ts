import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsConfig } from '../../config/estate.js';
import { clientConfig, describeEndpoint, toAwsError } from '../aws/index.js';

/** How many messages a queue holds: waiting to be received, and received but not yet deleted. */
export interface QueueDepth {
  name: string;
  exists: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
}

const QUEUE_MISSING = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

/** The ETL's SQS queues: their depth (SpotManager sizes the fleet by it) and making sure they exist. */
export class Queues {
  readonly client: SQSClient;
  private readonly where: string;

  constructor(aws: AwsConfig, env: NodeJS.ProcessEnv = process.env) {
    this.client = new SQSClient(clientConfig(aws, 'sqs', env));
    this.where = describeEndpoint(aws, 'sqs');
  }

  /** The queue's URL, or undefined when it does not exist. */
  async url(name: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    } catch (err) {
      if (QUEUE_MISSING.has((err as { name?: string }).name ?? '')) return undefined;
      throw toAwsError(err, `SQS GetQueueUrl ${name}`, this.where);
    }
  }

  /** Visible and in-flight counts (SQS's approximate numbers); a missing queue reports exists: false. */
  async queueDepth(name: string): Promise<QueueDepth> {
    const url = await this.url(name);
    if (!url) return { name, exists: false, visible: 0, inFlight: 0, delayed: 0 };
    try {
      const out = await this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      const a = out.Attributes ?? {};
      return {
        name,
        exists: true,
        visible: Number(a.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
      };
    } catch (err) {
      if (QUEUE_MISSING.has((err as { name?: string }).name ?? ''))
        return { name, exists: false, visible: 0, inFlight: 0, delayed: 0 };
      throw toAwsError(err, `SQS GetQueueAttributes ${name}`, this.where);
    }
  }

  async queueDepths(names: readonly string[]): Promise<QueueDepth[]> {
    return Promise.all(names.map((n) => this.queueDepth(n)));
  }

  /** Creates the queue unless it exists (CreateQueue with no attributes is idempotent in SQS). */
  async ensureQueue(name: string): Promise<{ name: string; url: string; created: boolean }> {
    const existing = await this.url(name);
    if (existing) return { name, url: existing, created: false };
    try {
      const out = await this.client.send(new CreateQueueCommand({ QueueName: name }));
      return { name, url: out.QueueUrl ?? '', created: true };
    } catch (err) {
      throw toAwsError(err, `SQS CreateQueue ${name}`, this.where);
    }
  }

  close(): void {
    this.client.destroy();
  }
}
