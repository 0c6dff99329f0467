import type { z } from 'zod';
import { OperatorError } from '../problem.js';

/** A start-up configuration problem. Its message is one line naming the variable or file and key. */
export class ConfigError extends OperatorError {
  override name = 'ConfigError';
  constructor(message: string, next = 'Ask whoever runs the bot to fix it.', options?: { cause?: unknown }) {
    super(message, next, options);
  }
}

/** Turns the first zod issue into "where: what" — one line an operator can act on. */
export function describeFirstIssue(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${where}: invalid`;
  const key = issue.path.map(String).join('.');
  return `${where}${key ? `: ${key}` : ''}: ${issue.message}`;
}
