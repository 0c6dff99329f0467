import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** `2016-01-12 23:11:21`: SpotManager's log timestamp, UTC. */
export function logTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A number as Python prints a float rounded to `decimals`: 1.0, 0.2, 0.0483. */
export function pyFloat(n: number, decimals = 4): string {
  const r = Math.round(n * 10 ** decimals) / 10 ** decimals;
  return Number.isInteger(r) ? `${r}.0` : String(r);
}

/** Python's repr of a list of ids: ['sir-1', 'sir-2']. */
export function pyList(ids: string[]): string {
  return `[${ids.map((i) => `'${i}'`).join(', ')}]`;
}

/** SpotManager's log file: `<utc datetime> - <message>`, warnings prefixed `WARNING: `. */
export class SpotLog {
  constructor(
    private readonly path: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  note(message: string): void {
    appendFileSync(this.path, `${logTime(this.now())} - ${message}\n`);
  }

  warning(message: string, cause?: string): void {
    appendFileSync(
      this.path,
      `${logTime(this.now())} - WARNING: ${message}\n${cause ? `\tcaused by\n\t\t${cause}\n` : ''}`,
    );
  }

  error(message: string, cause?: string): void {
    appendFileSync(
      this.path,
      `${logTime(this.now())} - ERROR: ${message}\n${cause ? `\tcaused by\n\t\t${cause}\n` : ''}`,
    );
  }
}
