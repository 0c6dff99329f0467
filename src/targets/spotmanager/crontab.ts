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

/** A line the bot disabled: where it was and the operator's exact text (what a start gives back). */
export interface DisabledLine {
  index: number;
  text: string;
}

export interface CronEdit {
  text: string;
  changed: number;
  lines: CronLine[];
}

/** Comments out every enabled ETL line with our mark; already disabled lines stay as they are. */
export function disableEtl(text: string, markers: readonly string[]): CronEdit & { disabled: DisabledLine[] } {
  const lines = etlLines(text, markers);
  const all = text.split('\n');
  const disabled: DisabledLine[] = [];
  for (const l of lines) {
    if (!l.enabled) continue;
    all[l.index] = DISABLED_MARK + l.text;
    disabled.push({ index: l.index, text: l.text });
  }
  return { text: all.join('\n'), changed: disabled.length, lines, disabled };
}

/** The lines that carry our mark: the ones the bot disabled, as it would record them. */
export function markedLines(text: string): DisabledLine[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      line.startsWith(DISABLED_MARK) ? [{ index, text: line.slice(DISABLED_MARK.length) }] : [],
    );
}

export interface CronRestore extends CronEdit {
  /** Recorded lines given back (at the index where they were found). */
  restored: DisabledLine[];
  /** Recorded lines already enabled (someone restored them, or a start ran twice). */
  already: DisabledLine[];
  /** Recorded lines no longer in the file as the bot left them: not touched. */
  missing: DisabledLine[];
  /** Other disabled ETL lines (commented out by hand, or a second instance): left alone. */
  others: CronLine[];
}

/** Where `want` is: at its recorded index, else its one place if the file moved around it. */
function find(all: readonly string[], want: string, index: number, taken: ReadonlySet<number>): number | undefined {
  if (all[index] === want && !taken.has(index)) return index;
  const at = all.flatMap((l, i) => (l === want && !taken.has(i) ? [i] : []));
  return at.length === 1 ? at[0] : undefined;
}

/**
 * "Start SpotManager": gives back exactly the lines the bot disabled (recorded with their position
 * and text), nothing else. A line someone commented out by hand, or one the bot did not record,
 * stays as it is and is reported: it may be disabled on purpose, or be a second instance.
 */
export function restoreEtl(text: string, markers: readonly string[], recorded: readonly DisabledLine[]): CronRestore {
  const all = text.split('\n');
  const restored: DisabledLine[] = [];
  const already: DisabledLine[] = [];
  const missing: DisabledLine[] = [];
  const taken = new Set<number>();
  for (const r of recorded) {
    const i = find(all, DISABLED_MARK + r.text, r.index, taken);
    if (i !== undefined) {
      all[i] = r.text;
      taken.add(i);
      restored.push({ index: i, text: r.text });
      continue;
    }
    const on = find(all, r.text, r.index, taken);
    if (on !== undefined) {
      taken.add(on);
      already.push({ index: on, text: r.text });
    } else missing.push(r);
  }
  const out = all.join('\n');
  const lines = etlLines(out, markers);
  const others = lines.filter((l) => !l.enabled);
  return { text: out, changed: restored.length, lines, restored, already, missing, others };
}
