/** An ETL repository or deploy problem in words an operator can act on; nothing was changed when it is thrown. */
export class EtlError extends Error {
  override name = 'EtlError';
  constructor(
    message: string,
    readonly kind: 'config' | 'git' | 'settings' | 'not_found' | 'refused',
    readonly retryable = false,
  ) {
    super(message);
  }
}
