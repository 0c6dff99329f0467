import { formatBytes, formatBytesIn, formatDuration, formatDurationIn } from '../units.js';
import { isSimpleMatchPattern, simpleMatch, splitCommaList } from '../wildcard.js';
import { EsError } from '../es-error.js';

/**
 * ES's RestTable: the shared machinery of every `_cat` API. Columns carry ES's names, aliases,
 * default visibility and alignment; `h=` picks columns (names, aliases, wildcards; the output
 * uses the name asked for), `s=` sorts on raw values, `bytes=`/`time=` pick units, `v` adds the
 * header line, and `format=json` (or a single JSON Accept type) gives an array of objects whose
 * values are all strings, as ES renders them.
 */
export interface Column {
  name: string;
  aliases?: string[];
  /** Shown without `h=`; ES's `default:false` columns set this to false. */
  default?: boolean;
  right?: boolean;
}

export type Cell = string | number | null | { bytes: number } | { ms: number };
export type Row = Cell[];

export interface CatOutput {
  contentType: string;
  body: string | unknown[];
}

export function catColumns(spec: string): Column[] {
  // Compact column declarations: "name|alias1,alias2|flags" with flags r (right) and h (hidden).
  return spec
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [name = '', aliases = '', flags = ''] = entry.split('|');
      return {
        name,
        aliases: aliases ? aliases.split(',') : [],
        default: !flags.includes('h'),
        right: flags.includes('r'),
      };
    });
}

interface Display {
  index: number;
  label: string;
}

export function renderCatTable(columns: Column[], rows: Row[], query: URLSearchParams, wantsJson: boolean): CatOutput {
  const display = displayColumns(columns, query.get('h'));
  const order = sortOrder(columns, rows, query.get('s'));
  const bytesUnit = query.get('bytes') ?? undefined;
  const timeUnit = query.get('time') ?? undefined;
  const render = (cell: Cell | undefined): string | null => {
    if (cell === null || cell === undefined) return null;
    if (typeof cell === 'object')
      return 'bytes' in cell ? formatBytesIn(cell.bytes, bytesUnit) : formatDurationIn(cell.ms, timeUnit);
    return String(cell);
  };
  if (wantsJson) {
    const body = order.map((r) => {
      const row = rows[r] as Row;
      const obj: Record<string, string | null> = {};
      for (const d of display) obj[d.label] = render(row[d.index]);
      return obj;
    });
    return { contentType: 'application/json', body };
  }
  const verbose = isTrue(query.get('v'));
  const texts = order.map((r) => display.map((d) => render((rows[r] as Row)[d.index]) ?? ''));
  const widths = display.map((d, i) =>
    Math.max(verbose ? d.label.length : 0, ...texts.map((t) => (t[i] as string).length)),
  );
  // Header cells take their column's alignment too, as RestTable pads them with the header attributes.
  const line = (cells: string[]): string =>
    cells
      .map((text, i) => {
        const last = i === cells.length - 1;
        const pad = (widths[i] as number) - text.length;
        const right = columns[(display[i] as Display).index]?.right === true;
        if (right) return ' '.repeat(Math.max(0, pad)) + text;
        return last ? text : text + ' '.repeat(Math.max(0, pad));
      })
      .join(' ') + '\n';
  let body = verbose ? line(display.map((d) => d.label)) : '';
  for (const t of texts) body += line(t);
  return { contentType: 'text/plain; charset=UTF-8', body };
}

function displayColumns(columns: Column[], h: string | null): Display[] {
  if (h === null) return columns.flatMap((c, index) => (c.default === false ? [] : [{ index, label: c.name }]));
  const out: Display[] = [];
  const seen = new Set<number>();
  for (const wanted of splitCommaList(h)) {
    if (isSimpleMatchPattern(wanted)) {
      columns.forEach((c, index) => {
        if (
          !seen.has(index) &&
          (simpleMatch(wanted, c.name) || (c.aliases ?? []).some((a) => simpleMatch(wanted, a)))
        ) {
          seen.add(index);
          out.push({ index, label: c.name });
        }
      });
      continue;
    }
    const index = columns.findIndex((c) => c.name === wanted || (c.aliases ?? []).includes(wanted));
    // ES silently skips names it does not know.
    if (index >= 0) out.push({ index, label: wanted });
  }
  return out;
}

function sortOrder(columns: Column[], rows: Row[], s: string | null): number[] {
  const order = rows.map((_, i) => i);
  if (s === null) return order;
  const keys = splitCommaList(s).map((raw) => {
    const desc = raw.endsWith(':desc');
    const name = raw.replace(/:(asc|desc)$/, '');
    const index = columns.findIndex((c) => c.name === name || (c.aliases ?? []).includes(name));
    if (index < 0)
      throw new EsError(500, 'unsupported_operation_exception', `Unable to sort by unknown sort key \`${name}\``);
    return { index, desc };
  });
  return order.sort((a, b) => {
    for (const k of keys) {
      const c = compareCells((rows[a] as Row)[k.index] ?? null, (rows[b] as Row)[k.index] ?? null);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

/** RestTable.TableIndexComparator: nulls first, like types by value, otherwise by text. */
function compareCells(a: Cell, b: Cell): number {
  if (a === null && b === null) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const num = (c: Cell): number | null =>
    typeof c === 'number' ? c : typeof c === 'object' && c !== null ? ('bytes' in c ? c.bytes : c.ms) : null;
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null && typeof a === typeof b) return na - nb;
  const ta = typeof a === 'object' ? ('bytes' in a ? formatBytes(a.bytes) : formatDuration(a.ms)) : String(a);
  const tb = typeof b === 'object' ? ('bytes' in b ? formatBytes(b.bytes) : formatDuration(b.ms)) : String(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** ES's boolean request parameters: present without value or "true" means true. */
export function isTrue(value: string | null): boolean {
  return value !== null && value !== 'false' && value !== '0' && value !== 'no' && value !== 'off';
}
