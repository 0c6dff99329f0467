import { AwsError } from '../../targets/aws/index.js';
import { EtlError } from '../../targets/etl/index.js';
import { SpotManagerError } from '../../targets/spotmanager/index.js';
import { SshError } from '../../targets/ssh/index.js';

/** True for the failures an operator can act on: their message says what to check. */
export function isEtlProblem(err: unknown): err is AwsError | SpotManagerError | SshError | EtlError {
  return (
    err instanceof AwsError || err instanceof SpotManagerError || err instanceof SshError || err instanceof EtlError
  );
}

/** One line for a section of a card or a reply; unexpected errors are named, not explained. */
export function describeEtlProblem(err: unknown, what: string): string {
  if (err instanceof SshError) return `cannot reach SpotManager's host: ${err.message}`;
  if (isEtlProblem(err)) return err.message;
  return `${what} failed unexpectedly (${(err as Error)?.message ?? String(err)}); see the bot's logs`;
}
