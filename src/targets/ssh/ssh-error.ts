import { OperatorError } from '../../problem.js';

/**
 * What went wrong: `dropped` is a connection lost while a command ran; `timeout`, connecting took
 * too long or a command ran past its deadline and was ended (then `next` says it may have run in
 * part); `aborted`, a command ended because its run was stopped; every other kind, before a
 * command could start.
 */
export type SshErrorKind = 'unreachable' | 'auth' | 'host_key' | 'timeout' | 'config' | 'dropped' | 'aborted';

const CHECK_HOST = 'Nothing was changed. Check the host and its SSH access, then ask again.';
const SSH_NEXT: Record<SshErrorKind, string> = {
  unreachable: CHECK_HOST,
  auth: CHECK_HOST,
  host_key: CHECK_HOST,
  timeout: CHECK_HOST,
  config: 'Nothing was changed. Ask whoever runs the bot to fix its SSH settings, then ask again.',
  dropped: 'The command may have run in part. Check the host and its SSH access, then ask again.',
  aborted: 'The command may have run in part. Check on the host what it did before running it again.',
};

/** An SSH problem in words an operator can act on; `next` defaults to what fits its kind. */
export class SshError extends OperatorError {
  override name = 'SshError';
  constructor(
    message: string,
    readonly kind: SshErrorKind,
    readonly retryable: boolean,
    next: string = SSH_NEXT[kind],
    options?: { cause?: unknown },
  ) {
    super(message, next, options);
  }
}
