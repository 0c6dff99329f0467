export {
  SpotManager,
  type BudgetChange,
  type CronChange,
  type CronStart,
  type CronState,
  type CronStop,
  type PullResult,
} from './spot-manager.js';
export { SpotManagerError } from './spot-manager-error.js';
export { readEtlSettings, withBudget, formatBudget, SettingsFileError, type EtlSettings } from './etl-settings.js';
export {
  etlLines,
  disableEtl,
  restoreEtl,
  markedLines,
  DISABLED_MARK,
  type CronLine,
  type CronRestore,
  type DisabledLine,
} from './crontab.js';
export {
  parseLine,
  parseLog,
  lastRun,
  isTrouble,
  type SpotEvent,
  type SpotEventKind,
  type RunSummary,
} from './log-events.js';
export { parseJsonc, blankComments, topLevelValueSpan, JsoncError } from './jsonc.js';
export { RemoteText, type FilePosition } from './remote-text.js';
