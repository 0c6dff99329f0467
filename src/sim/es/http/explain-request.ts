import { EsError, illegalArgument } from '../es-error.js';
import type { ExplainRequest } from '../explain.js';
import { scalarText } from '../../scalar-text.js';
import type { EsRequest } from './router.js';

/**
 * The allocation explain request as ES 8 reads it: the body through ClusterAllocationExplainRequest's
 * ObjectParser (index and current_node strings, shard an int that may be coerced from a string or
 * a float, primary a boolean or "true"/"false"; anything else an x_content_parse_exception) and
 * the boolean query parameters parsed strictly.
 */
export interface ParsedExplain {
  request: ExplainRequest;
  includeYes: boolean;
  includeDisk: boolean;
  human: boolean;
}

const INT_MAX = 2 ** 31 - 1;

export function parseExplainRequest(req: EsRequest): ParsedExplain {
  const q = req.query;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const compact = JSON.stringify(body);
  const at = (key: string): string => `[1:${compact.indexOf(JSON.stringify(key)) + 1}]`;
  const parseError = (key: string, what: string): EsError =>
    new EsError(400, 'x_content_parse_exception', `${at(key)} [cluster/allocation/explain] ${what}`);
  const wrongType = (key: string, value: unknown): EsError =>
    parseError(key, `${key} doesn't support values of type: ${tokenType(value)}`);
  const request: ExplainRequest = {};
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'index':
      case 'current_node':
        if (typeof value !== 'string') throw wrongType(key, value);
        request[key] = value;
        break;
      case 'shard': {
        const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
        if (typeof value !== 'number' && typeof value !== 'string') throw wrongType(key, value);
        if (!Number.isFinite(n) || Math.abs(n) > INT_MAX) throw parseError(key, 'failed to parse field [shard]');
        request.shard = Math.trunc(n);
        break;
      }
      case 'primary':
        if (value === true || value === 'true') request.primary = true;
        else if (value === false || value === 'false') request.primary = false;
        else if (typeof value === 'string') throw parseError(key, 'failed to parse field [primary]');
        else throw wrongType(key, value);
        break;
      default:
        throw parseError(key, `unknown field [${key}]`);
    }
  }
  // The URL forms some callers use (the body wins where both are given).
  const index = q.get('index');
  const shard = q.get('shard');
  const primary = q.get('primary');
  const currentNode = q.get('current_node');
  if (request.index === undefined && index !== null) request.index = index;
  if (request.shard === undefined && shard !== null) request.shard = Number(shard);
  if (request.primary === undefined && primary !== null) request.primary = strictBoolean('primary', primary);
  if (request.current_node === undefined && currentNode !== null) request.current_node = scalarText(currentNode);
  return {
    request,
    includeYes: strictBoolean('include_yes_decisions', q.get('include_yes_decisions')),
    includeDisk: strictBoolean('include_disk_info', q.get('include_disk_info')),
    human: strictBoolean('human', q.get('human')),
  };
}

/** RestRequest.paramAsBoolean: absent is false, empty is true, else only "true" or "false". */
function strictBoolean(name: string, value: string | null): boolean {
  if (value === null) return false;
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw illegalArgument(`Failed to parse value [${value}] only [true] or [false] are allowed.`);
}

function tokenType(value: unknown): string {
  if (typeof value === 'number') return 'VALUE_NUMBER';
  if (typeof value === 'boolean') return 'VALUE_BOOLEAN';
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object') return 'START_OBJECT';
  return 'VALUE_STRING';
}
