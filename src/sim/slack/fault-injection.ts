import type { Fault } from './types.js';

/**
 * Faults queued per method (or per endpoint: 'response_url', 'upload'). Each queued fault answers
 * exactly one request instead of the real handler, in the order they were queued.
 */
export class FaultInjector {
  private readonly queued = new Map<string, Fault[]>();

  add(target: string, fault: Fault, times = 1): void {
    const list = this.queued.get(target) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.queued.set(target, list);
  }

  /** The fault to answer this request with, if one is queued (it is used up). */
  take(target: string): Fault | undefined {
    const list = this.queued.get(target);
    const fault = list?.shift();
    if (list && list.length === 0) this.queued.delete(target);
    return fault;
  }

  clear(): void {
    this.queued.clear();
  }
}

/** The HTTP answer for a fault, shaped like Slack's: 429s carry Retry-After in whole seconds. */
export function faultResponse(fault: Fault): { status: number; headers: Record<string, string>; body: string } {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  if ('error' in fault) return { status: 200, headers: json, body: JSON.stringify({ ok: false, error: fault.error }) };
  if (fault.status === 429) {
    return {
      status: 429,
      headers: { ...json, 'retry-after': String(fault.retryAfter) },
      body: JSON.stringify({ ok: false, error: 'ratelimited' }),
    };
  }
  return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' };
}
