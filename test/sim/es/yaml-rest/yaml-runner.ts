import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { scalarText } from '../../../../src/sim/scalar-text.js';
import { APIS } from './api-table.js';

/**
 * A small runner for Elasticsearch's YAML REST tests (rest-api-spec/test/README.asciidoc): the
 * sections setup / teardown / tests, and the steps do (with catch, warnings, allowed_warnings),
 * match, is_true, is_false, length, set, gt, gte, lt, lte, and skip / requires. Requests go over
 * HTTP to a server; a failed expectation throws with the file, test, step and both values.
 */
export type Step = Record<string, unknown>;

export interface YamlTest {
  file: string;
  name: string;
  setup: Step[];
  teardown: Step[];
  steps: Step[];
}

/** What this runner supports of `skip.features` / `requires.test_runner_features`. */
const FEATURES = new Set(['allowed_warnings', 'warnings', 'default_shards']);

export function loadSuite(path: string, label: string): { tests: YamlTest[]; fileSkip: string | null } {
  const docs = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Record<string, unknown> | null);
  let setup: Step[] = [];
  let teardown: Step[] = [];
  let fileSkip: string | null = null;
  const tests: YamlTest[] = [];
  for (const doc of docs) {
    if (!doc) continue;
    const [name, value] = Object.entries(doc)[0] ?? [];
    if (name === undefined) continue;
    if (name === 'requires' && !Array.isArray(value)) {
      // elasticsearch-clients-tests: which products a file is for.
      if ((value as { stack?: boolean }).stack === false) fileSkip = 'not for the stack (serverless only)';
    } else if (name === 'setup') setup = value as Step[];
    else if (name === 'teardown') teardown = value as Step[];
    else tests.push({ file: label, name, setup: [], teardown: [], steps: value as Step[] });
  }
  for (const t of tests) {
    t.setup = setup;
    t.teardown = teardown;
  }
  return { tests, fileSkip };
}

/** The version the simulator answers as (es-version.ts): what `skip.version` and `gte_v` features compare with. */
const VERSION = [8, 17, 0];

function compareVersion(text: string): number {
  const parts = text.trim().split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (VERSION[i] as number) - (parts[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `gte_v7.2.0`-style cluster features: the simulator has every one up to its version. */
function hasFeature(feature: string): boolean {
  const m = /^gte_v(\d+\.\d+\.\d+)$/.exec(feature);
  return m !== null && compareVersion(m[1] as string) >= 0;
}

const asList = (f: unknown): string[] =>
  f === undefined ? [] : Array.isArray(f) ? f.map((x) => scalarText(x)) : [scalarText(f)];

/** Why a test's own skip / requires sections skip it here (version, features, capabilities), or null. */
export function runnerSkip(test: YamlTest): string | null {
  for (const step of [...test.setup, ...test.steps]) {
    const skip = step.skip as Record<string, unknown> | undefined;
    const requires = step.requires as Record<string, unknown> | undefined;
    for (const spec of [skip, requires]) {
      if (!spec) continue;
      const missing = [...asList(spec.features), ...asList(spec.test_runner_features)].filter((f) => !FEATURES.has(f));
      if (missing.length > 0) return `needs runner features [${missing.join(', ')}]`;
      if (spec.capabilities !== undefined) return 'needs the _capabilities API';
    }
    if (skip) {
      const features = asList(skip.cluster_features);
      if (features.length > 0 && features.every(hasFeature)) return `skip: ${scalarText(skip.reason)}`;
      if (typeof skip.version === 'string') {
        const [low = '', high = ''] = skip.version.split('-');
        const aboveLow = low.trim() === '' || compareVersion(low) >= 0;
        const belowHigh = high.trim() === '' || compareVersion(high) <= 0;
        if (aboveLow && belowHigh) return `skip: ${scalarText(skip.reason)}`;
      }
    }
    if (requires) {
      const lacking = asList(requires.cluster_features).filter((f) => !hasFeature(f));
      if (lacking.length > 0) return `requires cluster features [${lacking.join(', ')}]`;
    }
  }
  return null;
}

class Context {
  readonly stash = new Map<string, unknown>();
  body: unknown = undefined;

  constructor(
    readonly url: string,
    readonly strictWarnings: boolean,
  ) {}

  resolve(value: unknown): unknown {
    if (typeof value === 'string' && value.startsWith('$') && this.stash.has(value.slice(1)))
      return this.stash.get(value.slice(1));
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    return value;
  }

  /** `a.b.0.c`, with `\.` for a dot inside a key; `$body` or '' for the whole body. */
  lookup(path: string): unknown {
    if (path === '$body' || path === '') return this.body;
    let cur: unknown = this.body;
    for (const raw of path.split(/(?<!\\)\./)) {
      const key = String(this.resolve(raw.replace(/\\\./g, '.')));
      if (cur === null || cur === undefined) return undefined;
      cur = Array.isArray(cur) ? (cur[Number(key)] as unknown) : (cur as Record<string, unknown>)[key];
    }
    return cur;
  }
}

/**
 * `strictWarnings`: ES's own runner fails on a deprecation warning the test did not expect;
 * the clients' runners (elasticsearch-clients-tests) do not look at warnings.
 */
export async function runTest(url: string, test: YamlTest, strictWarnings = true): Promise<void> {
  const ctx = new Context(url, strictWarnings);
  try {
    for (const [i, step] of test.setup.entries()) await runStep(ctx, step, `setup step ${i + 1}`);
    for (const [i, step] of test.steps.entries()) await runStep(ctx, step, `step ${i + 1}`);
  } finally {
    for (const [i, step] of test.teardown.entries()) await runStep(ctx, step, `teardown step ${i + 1}`);
  }
}

async function runStep(ctx: Context, step: Step, where: string): Promise<void> {
  const [kind, arg] = Object.entries(step)[0] ?? [];
  const fail = (message: string): never => {
    throw new Error(`${where} (${kind}): ${message}`);
  };
  switch (kind) {
    case 'skip':
    case 'requires':
      return;
    case 'do':
      return doRequest(ctx, arg as Record<string, unknown>, fail);
    case 'set':
      for (const [path, name] of Object.entries(arg as Record<string, string>)) ctx.stash.set(name, ctx.lookup(path));
      return;
    case 'match':
      for (const [path, expected] of Object.entries(arg as Record<string, unknown>)) {
        const actual = ctx.lookup(path);
        const want = ctx.resolve(expected);
        if (!matches(actual, want)) fail(`[${path}] is ${JSON.stringify(actual)}, expected ${JSON.stringify(want)}`);
      }
      return;
    case 'is_true':
    case 'is_false': {
      const path = scalarText(arg ?? '');
      const actual = ctx.lookup(path);
      const falsy = actual === undefined || actual === null || actual === false || actual === '' || actual === 'false';
      if ((kind === 'is_true') === falsy) fail(`[${path}] is ${JSON.stringify(actual)}`);
      return;
    }
    case 'length':
      for (const [path, n] of Object.entries(arg as Record<string, number>)) {
        const v = ctx.lookup(path);
        const len =
          Array.isArray(v) || typeof v === 'string'
            ? v.length
            : v && typeof v === 'object'
              ? Object.keys(v).length
              : -1;
        if (len !== Number(ctx.resolve(n))) fail(`[${path}] has length ${len}, expected ${n}`);
      }
      return;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      for (const [path, bound] of Object.entries(arg as Record<string, number>)) {
        const v = Number(ctx.lookup(path));
        const b = Number(ctx.resolve(bound));
        const ok = kind === 'gt' ? v > b : kind === 'gte' ? v >= b : kind === 'lt' ? v < b : v <= b;
        if (!ok) fail(`[${path}] is ${v}, expected ${kind} ${b}`);
      }
      return;
    default:
      fail(`unsupported step [${kind}]`);
  }
}

const CATCH_STATUS: Record<string, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  missing: 404,
  request_timeout: 408,
  conflict: 409,
  unavailable: 503,
};

async function doRequest(ctx: Context, spec: Record<string, unknown>, fail: (m: string) => never): Promise<void> {
  const { catch: expectCatch, warnings, allowed_warnings: allowed, headers, ...rest } = spec;
  const [api, rawParams] = Object.entries(rest)[0] ?? [];
  if (!api) return fail('no API named');
  const def = APIS[api];
  if (!def) return fail(`API [${api}] is not served by the simulator`);
  const params = { ...((ctx.resolve(rawParams) ?? {}) as Record<string, unknown>) };
  const body = params.body;
  delete params.body;
  const { path, query } = buildUrl(def.paths, params);
  const method = def.methods.length > 1 && body === undefined ? (def.methods[1] as string) : (def.methods[0] as string);
  const res = await fetch(`${ctx.url}${path}${query}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...((headers ?? {}) as Record<string, string>),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  ctx.body = method === 'HEAD' ? res.status === 200 : isJson && text !== '' ? (JSON.parse(text) as unknown) : text;
  if (ctx.strictWarnings)
    checkWarnings(res.headers.get('warning'), (warnings ?? []) as string[], (allowed ?? []) as string[], fail);
  if (expectCatch === undefined) {
    if (res.status >= 400 && !(method === 'HEAD' && res.status === 404))
      fail(`${method} ${path}${query} answered ${res.status}: ${text}`);
    return;
  }
  const c = scalarText(expectCatch);
  if (c.startsWith('/') && c.endsWith('/')) {
    if (res.status < 400 || !xRegExp(c).test(text)) fail(`expected an error matching ${c}, got ${res.status}: ${text}`);
  } else if (c === 'request') {
    if (res.status < 400) fail(`expected an error, got ${res.status}`);
  } else if (CATCH_STATUS[c] !== res.status) {
    fail(`expected [${c}] (${CATCH_STATUS[c]}), got ${res.status}: ${text}`);
  }
}

/** The template using the most of the given path parts; the other parameters go to the query. */
function buildUrl(templates: string[], params: Record<string, unknown>): { path: string; query: string } {
  const text = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(',') : String(v));
  let best: { template: string; parts: string[] } | null = null;
  for (const template of templates) {
    const parts = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    if (!parts.every((p) => params[p] !== undefined)) continue;
    if (!best || parts.length > best.parts.length) best = { template, parts };
  }
  if (!best) throw new Error(`no path of [${templates.join(', ')}] fits the parameters ${JSON.stringify(params)}`);
  const path = best.template.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(text(params[p])));
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (!best.parts.includes(k)) q.set(k, text(v));
  const query = q.toString();
  return { path, query: query === '' ? '' : `?${query}` };
}

/** Every warning must be expected or allowed, and every expected one must come (ES's runner). */
function checkWarnings(header: string | null, expected: string[], allowed: string[], fail: (m: string) => never): void {
  const got = [...(header ?? '').matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) =>
    (m[1] as string).replace(/\\"/g, '"'),
  );
  for (const w of got) if (!expected.includes(w) && !allowed.includes(w)) fail(`unexpected warning [${w}]`);
  for (const w of expected) if (!got.includes(w)) fail(`missing warning [${w}]`);
}

/** `/.../` in a test is a Java regex in COMMENTS mode: unescaped white space and `#` comments are ignored. */
export function xRegExp(source: string): RegExp {
  const inner = source.trim().slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] as string;
    if (ch === '\\') {
      out += ch + (inner[i + 1] ?? '');
      i++;
    } else if (ch === '#') {
      while (i < inner.length && inner[i] !== '\n') i++;
    } else if (!/\s/.test(ch)) out += ch;
  }
  return new RegExp(out);
}

function matches(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string' && expected.trim().startsWith('/') && expected.trim().endsWith('/')) {
    return actual !== undefined && actual !== null && xRegExp(expected).test(scalarText(actual));
  }
  if (expected === null) return actual === null || actual === undefined;
  if (typeof expected === 'number' && typeof actual === 'number') return expected === actual;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e))
    );
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    return Object.keys(a).length === Object.keys(e).length && Object.entries(e).every(([k, v]) => matches(a[k], v));
  }
  return actual === expected;
}
