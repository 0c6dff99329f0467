/**
 * The one marker for "the operator's problem": an error a person can act on (an unreachable host,
 * an unknown node, a refused credential, a lock held by another run). Its message says what is
 * wrong, in one line; `next` says what the person should do now. Such errors are shown to the
 * requester as they are and are not logged as bugs; anything else is "unexpected" and logged.
 *
 * Part of the foundation (like log.ts and format.ts): every room may import it, it imports none.
 */
export class OperatorError extends Error {
  /** Structural marker, so the check survives two copies of this module (tests, bundles). */
  readonly operatorProblem = true as const;

  constructor(
    message: string,
    /** The next human action, e.g. "Pass --cluster with one of those names." */
    readonly next: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What every operator error carries. */
export interface OperatorProblem {
  readonly message: string;
  readonly next: string;
  readonly operatorProblem: true;
}

export function isOperatorProblem(err: unknown): err is OperatorProblem {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { operatorProblem?: unknown }).operatorProblem === true &&
    typeof (err as { next?: unknown }).next === 'string'
  );
}
