import { readFileSync } from 'node:fs';

/** The parts of SpotManager's settings the stand-in acts on (names as in etl_settings.json). */
export interface StandInSettings {
  budget: number;
  max_utility_price: number;
  max_new_utility: number;
  max_requests_per_type: number;
  availability_zone: string;
  utility: { instance_type: string; utility: number }[];
  ec2: { request: { image_id?: string }; instance: { name: string } };
  instance: { minimum_utility?: number; setup_timeout?: string; work_queue: { name: string } };
  debug?: { log?: { filename?: string }[] };
}

/**
 * SpotManager reads its settings leniently: `//` comments and trailing commas allowed. This is
 * the stand-in's own reader (not the bot's), so a bug in one does not hide in the other.
 */
export function readStandInSettings(path: string): StandInSettings {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').map((line) => {
    let inString = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '"') inString = !inString;
      if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i);
    }
    return line;
  });
  const json = lines.join('\n').replace(/,(\s*[\]}])/g, '$1');
  return JSON.parse(json) as StandInSettings;
}

/** "10minute", "hour", "30second" → ms (mo_times' duration words). */
export function durationMs(text: string | undefined, fallback: number): number {
  const m = /^(\d+(?:\.\d+)?)?\s*(second|minute|hour|day)s?$/.exec(text ?? '');
  if (!m) return fallback;
  const unit = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 }[m[2] as 'second'];
  return Number(m[1] ?? 1) * unit;
}
