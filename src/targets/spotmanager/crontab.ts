/**
 * SpotManager runs from cron (FACTS: every 10 minutes). "Stop SpotManager" disables its ETL line,
 * "Start" restores it; the ES spot manager's line beside it is never touched. Pure text
 * functions: the adapter reads and writes the crontab around them.
 */

/** Our mark on a line we disabled: restoring it gives back the operator's exact line. */
export const DISABLED_MARK = '#opsbot-stopped# ';

export interface CronLine {
  index: number;
  text: string;
  enabled: boolean;
  command: string;
}

/** A cron entry: an @keyword or five time fields (minute and hour numeric or `*`), then the command. */
const NUMERIC = '[\\d*/,-]+';
const NAMED = '(?:[\\d*/,-]+|[A-Za-z]{3}(?:[-,][A-Za-z]{3})*)';
const ENTRY = new RegExp(`^\\s*(@\\w+|${NUMERIC}\\s+${NUMERIC}\\s+${NAMED}\\s+${NAMED}\\s+${NAMED})\\s+(.+)$`);

function uncomment(line: string): string | undefined {
  if (line.startsWith(DISABLED_MARK)) return line.slice(DISABLED_MARK.length);
  const plain = /^\s*#+\s*(.*)$/.exec(line)?.[1];
  // A commented-out entry, not prose that happens to mention the script.
  return plain !== undefined && ENTRY.test(plain) ? plain : undefined;
}

/** Lines that run the ETL SpotManager (enabled or disabled), by the configured markers. */
export function etlLines(text: string, markers: readonly string[]): CronLine[] {
  const out: CronLine[] = [];
  text.split('\n').forEach((line, index) => {
    if (!markers.some((m) => line.includes(m))) return;
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('#')) {
      const m = ENTRY.exec(line);
      if (m) out.push({ index, text: line, enabled: true, command: m[2]! });
      return;
    }
    const inner = uncomment(trimmed);
    const m = inner !== undefined ? ENTRY.exec(inner) : null;
    if (m) out.push({ index, text: line, enabled: false, command: m[2]! });
  });
  return out;
}

export interface CronEdit {
  text: string;
  changed: number;
  lines: CronLine[];
}

/** Comments out every enabled ETL line with our mark; already disabled lines stay as they are. */
export function disableEtl(text: string, markers: readonly string[]): CronEdit {
  const lines = etlLines(text, markers);
  const all = text.split('\n');
  let changed = 0;
  for (const l of lines) {
    if (!l.enabled) continue;
    all[l.index] = DISABLED_MARK + l.text;
    changed++;
  }
  return { text: all.join('\n'), changed, lines };
}

/** Restores every disabled ETL line (ours, or an entry someone commented out with `#`). */
export function enableEtl(text: string, markers: readonly string[]): CronEdit {
  const lines = etlLines(text, markers);
  const all = text.split('\n');
  let changed = 0;
  for (const l of lines) {
    if (l.enabled) continue;
    all[l.index] = uncomment(l.text.trimStart())!;
    changed++;
  }
  return { text: all.join('\n'), changed, lines };
}
