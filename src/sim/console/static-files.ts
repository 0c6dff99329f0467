import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Where the page's files are. They are plain files with no build step, kept beside this module in
 * src/; the TypeScript build does not copy them, so from dist/ we look in src/ of the same checkout.
 */
export function staticDir(): string {
  const beside = fileURLToPath(new URL('./static/', import.meta.url));
  if (existsSync(beside)) return beside;
  const inSource = fileURLToPath(new URL('../../../src/sim/console/static/', import.meta.url));
  if (existsSync(inSource)) return inSource;
  throw new Error(`the console page's files are missing (looked in ${beside} and ${inSource})`);
}

export interface StaticFile {
  type: string;
  body: Buffer;
}

/** A file under `dir` by URL path ('/' is index.html); undefined when absent or outside `dir`. */
export async function readStatic(dir: string, urlPath: string): Promise<StaticFile | undefined> {
  const rel =
    urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.replace(/^\/static\//, '').replace(/^\/+/, ''));
  const full = normalize(join(dir, rel));
  if (!full.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
  const type = TYPES[extname(full)];
  if (!type) return undefined;
  try {
    return { type, body: await readFile(full) };
  } catch {
    return undefined;
  }
}
