/** A SpotManager problem in words an operator can act on; nothing was changed when it is thrown. */
export class SpotManagerError extends Error {
  override name = 'SpotManagerError';
  constructor(
    message: string,
    readonly kind: 'config' | 'settings' | 'cron' | 'command' | 'conflict' | 'not_found',
  ) {
    super(message);
  }
}
