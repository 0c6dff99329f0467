import { OperatorError } from '../../problem.js';

export type SpotManagerErrorKind = 'config' | 'settings' | 'cron' | 'command' | 'conflict' | 'not_found';

const SPOT_MANAGER_NEXT: Record<SpotManagerErrorKind, string> = {
  config: 'Ask whoever runs the bot to fix its configuration (opsbot.yaml or the environment), then ask again.',
  settings: 'Fix the settings file by hand, then ask again.',
  cron: 'Ask whoever runs the bot to fix spotManager.cronMarkers in opsbot.yaml, then ask again.',
  command: 'Check the manager host (/etl status), then ask again.',
  conflict: 'Ask again to see the current state.',
  not_found: 'Check the path in opsbot.yaml against the manager host, then ask again.',
};

/** A SpotManager problem in words an operator can act on; nothing was changed when it is thrown. */
export class SpotManagerError extends OperatorError {
  override name = 'SpotManagerError';
  constructor(
    message: string,
    readonly kind: SpotManagerErrorKind,
    next: string = SPOT_MANAGER_NEXT[kind],
  ) {
    super(message, next);
  }
}
