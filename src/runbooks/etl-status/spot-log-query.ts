import { OperatorError } from '../../problem.js';
import type { EtlTargets } from '../../targets/etl/index.js';
import { isTrouble, parseLine } from '../../targets/spotmanager/index.js';
import { describeEtlProblem, isEtlProblem } from '../etl-deploy/operator-errors.js';

/** One line of SpotManager's log, judged. */
export interface SpotLogLine {
  text: string;
  /** A line that starts an entry (it has SpotManager's timestamp), not a continuation (a traceback). */
  entry: boolean;
  /**
   * Part of a trouble entry (Can not fund, Time is up, failed requests, warnings); continuation
   * lines go with their entry.
   */
  trouble: boolean;
}

/** What `/spot log` shows: SpotManager's last lines and where they were read. */
export interface SpotLogReport {
  where: string;
  path: string;
  lines: SpotLogLine[];
  /** There is no log file yet (SpotManager has not run with these settings). */
  missing: boolean;
}

/** Is each line trouble? Continuation lines (tracebacks) belong to the trouble line before them. */
function judge(lines: string[]): SpotLogLine[] {
  let last = false;
  return lines.map((text) => {
    const e = parseLine(text);
    if (e) last = isTrouble(e);
    return { text, entry: e !== undefined, trouble: last };
  });
}

/** `/spot log [lines]`: the last lines of SpotManager's log, each marked trouble or not. Read-only. */
export async function readSpotLog(req: { lines: number }, deps: { etl: EtlTargets }): Promise<SpotLogReport> {
  try {
    const sm = deps.etl.spotManager();
    const { lines, missing } = await sm.readLog(req.lines);
    return { where: sm.where, path: sm.logPath, lines: judge(lines), missing };
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    throw new OperatorError(
      `Cannot read SpotManager's log: ${describeEtlProblem(err, 'log')}`,
      'Ask again once that is fixed; /etl status shows what can be read.',
      { cause: err },
    );
  }
}
