import { OperatorError } from '../../problem.js';

export type EtlErrorKind = 'config' | 'git' | 'settings' | 'not_found' | 'refused';

const ETL_NEXT: Record<EtlErrorKind, string> = {
  config: 'Ask whoever runs the bot to fix the etl section of opsbot.yaml, then ask again.',
  git: 'Check the ETL checkout on the manager host, then ask again.',
  settings: 'Fix the ETL settings in the repository (a new commit), then ask again.',
  not_found: 'Check that it exists, then ask again.',
  refused: 'Wait a minute, then ask again.',
};

/**
 * An ETL repository or deploy problem in words an operator can act on; nothing was changed when
 * it is thrown.
 */
export class EtlError extends OperatorError {
  override name = 'EtlError';
  constructor(
    message: string,
    readonly kind: EtlErrorKind,
    readonly retryable = false,
    next: string = ETL_NEXT[kind],
  ) {
    super(message, next);
  }
}
