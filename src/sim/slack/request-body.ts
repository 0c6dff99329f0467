import type { IncomingMessage } from 'node:http';
import type { Json } from './types.js';

/** Fields that Slack's clients send as JSON text inside a form (or as JSON values in a JSON body). */
const JSON_TEXT_FIELDS = ['blocks', 'attachments', 'view', 'files', 'metadata', 'file_uploads'];

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Decodes Web API arguments the three ways Slack accepts them: form-encoded (what @slack/web-api
 * sends), JSON, and multipart. JSON-text fields become objects, so recorded calls show real
 * blocks; a field that is not valid JSON stays a string, for the method to reject as Slack does.
 * Returns undefined for a body Slack would answer `invalid_form_data`.
 */
export async function parseApiArgs(contentType: string | undefined, raw: Buffer): Promise<Json | undefined> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let args: Json;
  if (raw.length === 0) {
    args = {};
  } else if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
      args = parsed as Json;
    } catch {
      return undefined;
    }
  } else if (type === 'multipart/form-data') {
    args = await parseMultipart(contentType ?? '', raw);
  } else {
    args = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  for (const field of JSON_TEXT_FIELDS) {
    const value = args[field];
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        args[field] = JSON.parse(value);
      } catch {
        /* left as text: the method reports it */
      }
    }
  }
  return args;
}

/** Multipart fields as strings, file parts as Buffers (the platform's own parser does the work). */
export async function parseMultipart(contentType: string, raw: Buffer): Promise<Json> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const out: Json = {};
  for (const [key, value] of form.entries()) {
    out[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
  }
  return out;
}

/** The token of a Web API call: the Authorization header, or (legacy) a `token` argument. */
export function tokenOf(authorization: string | undefined, args: Json): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  if (bearer) return bearer;
  return typeof args.token === 'string' ? args.token : undefined;
}
