import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SigV4Verdict = { ok: true } | { ok: false; code: 'AuthFailure' | 'IncompleteSignature'; message: string };

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Checks an AWS Signature Version 4 the way AWS does: the access key must be known and the
 * signature must be the one its secret produces over the canonical request. Enough for the
 * SDK's requests (header-signed, POST form bodies or GET queries).
 */
export function verifySigV4(
  req: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer },
  known: Credentials[],
): SigV4Verdict {
  const auth = req.headers.authorization;
  if (!auth)
    return { ok: false, code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' };
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)$/.exec(
      auth,
    );
  if (!m)
    return {
      ok: false,
      code: 'IncompleteSignature',
      message: 'Authorization header requires Credential, SignedHeaders and Signature',
    };
  const [, keyId, date, region, service, signedHeaders, signature] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const cred = known.find((c) => c.accessKeyId === keyId);
  if (!cred)
    return { ok: false, code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const url = new URL(req.url, 'http://sim');
  const query = [...url.searchParams]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const payloadHash =
    typeof req.headers['x-amz-content-sha256'] === 'string' ? req.headers['x-amz-content-sha256'] : sha256hex(req.body);
  const path = url.pathname
    .split('/')
    .map((seg) => encode(decodeURIComponent(seg)))
    .join('/');
  const canonical = [req.method, path || '/', query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${cred.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign, 'utf8').digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' };
  }
  return { ok: true };
}
