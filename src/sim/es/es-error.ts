/**
 * An error as Elasticsearch reports it:
 * {"error":{"root_cause":[{type,reason,...}],"type","reason",...},"status":N}.
 * A few REST-layer errors (no handler, wrong method, alias missing) use the older flat form
 * {"error":"message","status":N}; `plain` selects it.
 */
export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
    readonly plain = false,
  ) {
    super(`[${type}] ${reason}`);
  }

  toBody(): Record<string, unknown> {
    if (this.plain) return { error: this.reason, status: this.status, ...this.extra };
    const cause = { type: this.type, reason: this.reason, ...this.extra };
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }
}

export function illegalArgument(reason: string): EsError {
  return new EsError(400, 'illegal_argument_exception', reason);
}
