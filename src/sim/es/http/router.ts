import type { IncomingHttpHeaders } from 'node:http';
import { EsError } from '../es-error.js';

export interface EsRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, undefined when the request had none. */
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface EsResponse {
  status: number;
  /** An object/array is sent as JSON, a string as text/plain, undefined as an empty body. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: EsRequest) => EsResponse | Promise<EsResponse>;

interface Route {
  methods: string[];
  segments: string[];
  handler: Handler;
}

/**
 * Path routing as ES's RestController does it: the most literal match wins, a path that exists
 * for other methods is a 405 naming the allowed ones, and an unknown path is a 400
 * "no handler found". An `{index}` segment never matches a `_name` (except `_all`), so `/_foo`
 * is an unknown endpoint rather than an index called `_foo`.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | string[], pattern: string, handler: Handler): void {
    this.routes.push({ methods: Array.isArray(methods) ? methods : [methods], segments: split(pattern), handler });
  }

  resolve(method: string, path: string): { handler: Handler; params: Record<string, string> } {
    const parts = split(path).map(safeDecode);
    let best: { route: Route; params: Record<string, string>; score: number } | null = null;
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const matched = matchSegments(route.segments, parts);
      if (!matched) continue;
      if (!route.methods.includes(method)) {
        for (const m of route.methods) allowed.add(m);
        continue;
      }
      if (!best || matched.score > best.score) best = { route, params: matched.params, score: matched.score };
    }
    if (best) return { handler: best.route.handler, params: best.params };
    if (allowed.size > 0) {
      const list = [...allowed].sort().join(', ');
      throw new EsError(
        405,
        '',
        `Incorrect HTTP method for uri [${path}] and method [${method}], allowed: [${list}]`,
        {},
        true,
      );
    }
    throw new EsError(400, '', `no handler found for uri [${path}] and method [${method}]`, {}, true);
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(pattern: string[], parts: string[]): { params: Record<string, string>; score: number } | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  let score = 0;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith('{')) {
      const name = p.slice(1, -1);
      if (name === 'index' && v.startsWith('_') && v !== '_all') return null;
      params[name] = v;
    } else if (p === v) {
      score++;
    } else {
      return null;
    }
  }
  return { params, score };
}
