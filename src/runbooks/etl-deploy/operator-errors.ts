import type { StepOutcome } from '../../engine/index.js';
import { AwsError } from '../../targets/aws/index.js';
import { EtlError } from '../../targets/etl/index.js';
import { SpotManagerError } from '../../targets/spotmanager/index.js';
import { SshError } from '../../targets/ssh/index.js';

/**
 * Runs a step's work; a problem only an operator can fix (a cron line gone, refused credentials,
 * git refusing a push) fails the step with its own words. Outages (SSH unreachable, AWS busy) are
 * thrown on, for the engine to retry with backoff.
 */
export async function failOnOperatorError(work: () => Promise<StepOutcome>): Promise<StepOutcome> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof SpotManagerError || ((err instanceof EtlError || err instanceof AwsError) && !err.retryable))
      return { status: 'fail', reason: err.message };
    throw err;
  }
}

/**
 * True for the failures of the ETL's estate an operator can act on (refused AWS credentials, an
 * unreachable manager host, a malformed settings file): their message says what to check. The
 * ETL's plans and queries answer these in words; anything else is a bug, thrown on.
 */
export function isEtlProblem(err: unknown): err is AwsError | SpotManagerError | SshError | EtlError {
  return (
    err instanceof AwsError || err instanceof SpotManagerError || err instanceof SshError || err instanceof EtlError
  );
}

/** One line for a refusal or a part of a card; unexpected errors are named, not explained. */
export function describeEtlProblem(err: unknown, what: string): string {
  if (err instanceof SshError) return `cannot reach SpotManager's host: ${err.message}`;
  if (isEtlProblem(err)) return err.message;
  return `${what} failed unexpectedly (${(err as Error)?.message ?? String(err)}); see the bot's logs`;
}
