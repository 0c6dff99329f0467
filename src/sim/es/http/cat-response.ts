import type { Column, Row } from './cat-table.js';
import { isTrue, renderCatTable } from './cat-table.js';
import { catHelp } from './cat-help.js';
import type { EsRequest, EsResponse } from './router.js';

/**
 * RestTable.getResponseContentType: `format=json` gives JSON; without `format`, a single JSON
 * Accept type does too. The official client sends "application/vnd.elasticsearch+json;
 * compatible-with=8,text/plain": a list, which ES ignores, so `_cat` answers it with text.
 */
export function wantsJson(req: EsRequest): boolean {
  const format = req.query.get('format');
  if (format !== null) return format.toLowerCase() === 'json';
  const accept = req.headers.accept;
  if (typeof accept !== 'string' || accept.includes(',')) return false;
  return /json/i.test(accept);
}

export function catResponse(req: EsRequest, columns: Column[], rows: Row[]): EsResponse {
  if (isTrue(req.query.get('help'))) {
    const table = req.path.split('/').filter(Boolean)[1] ?? '';
    return { status: 200, contentType: 'text/plain; charset=UTF-8', body: catHelp(table, columns) };
  }
  const out = renderCatTable(columns, rows, req.query, wantsJson(req));
  return { status: 200, contentType: out.contentType, body: out.body };
}
