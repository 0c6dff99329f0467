import type { z } from 'zod';

/** A start-up configuration problem. Its message is one line naming the variable or file and key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Turns the first zod issue into "where: what" — one line an operator can act on. */
export function describeFirstIssue(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${where}: invalid`;
  const key = issue.path.map(String).join('.');
  return `${where}${key ? `: ${key}` : ''}: ${issue.message}`;
}
