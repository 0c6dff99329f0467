import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError, describeFirstIssue } from './config-error.js';
import { estateSchema, type Estate } from './estate.js';

/** Validates an estate object; errors name the file and the key. */
export function parseEstate(raw: unknown, where = 'opsbot.yaml'): Estate {
  const parsed = estateSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeFirstIssue(where, parsed.error));
  return parsed.data;
}

/** Reads and validates the estate file (opsbot.yaml). */
export function loadEstate(path: string): Estate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${path}: cannot read the estate file (${code ?? String(err)}); ` +
        'set OPSBOT_CONFIG to its path (see opsbot.example.yaml)',
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseEstate(raw, path);
}
