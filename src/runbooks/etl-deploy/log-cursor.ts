import { parseLog, type SpotEvent } from '../../targets/spotmanager/index.js';

/**
 * The events of SpotManager's log lines written at or after `notBefore` (ms; the log has whole
 * seconds, so the second of `notBefore` counts). The lines come from a read by position
 * (`SpotManager.readLogFrom`), so each is seen once.
 */
export function newEvents(lines: readonly string[], notBefore: number): SpotEvent[] {
  const floor = Math.floor(notBefore / 1000) * 1000;
  return parseLog(lines).filter((e) => e.at === undefined || e.at >= floor);
}
