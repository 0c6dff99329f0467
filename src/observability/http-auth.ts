import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Does the request carry the token? As a bearer token (scripts, curl) or as the password of HTTP
 * basic auth with any user name (a browser's login prompt). Compared in constant time, on
 * digests so that the length of the token does not leak either.
 */
export function carriesToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const [scheme, value = ''] = header.split(' ', 2);
  let offered: string | undefined;
  if (scheme?.toLowerCase() === 'bearer') offered = value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    offered = colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return offered !== undefined && offered !== '' && timingSafeEqual(digest(offered), digest(token));
}
