import type { StepOutcome } from '../../engine/index.js';
import { AwsError } from '../../targets/aws/index.js';
import { EtlError } from '../../targets/etl/index.js';
import { SpotManagerError } from '../../targets/spotmanager/index.js';

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
