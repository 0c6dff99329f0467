import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

const slackIds = z.array(z.string().regex(/^[A-Z0-9]+$/, 'must be a Slack ID such as U012ABCDEF or S056MNOPQR'));
const who = z.object({ users: slackIds.default([]), usergroups: slackIds.default([]) }).strict();

const rule = z
  .object({
    /** Which commands: "<slash without /> <verb>", globs allowed: "es drain", "es *", "etl deploy", "*". */
    command: z.string().regex(/^[a-z*][a-z0-9*-]*( [a-z*][a-z0-9*-]*)?$/, 'must look like "es drain", "es *" or "*"'),
    /** Who may request it; omitted: everyone. */
    requesters: who.optional(),
    /** Channel IDs it may run in; omitted: any channel. */
    channels: z.array(z.string().regex(/^[CGD][A-Z0-9]+$/, 'must be a Slack channel ID such as C012ABCDEF')).optional(),
    /** Who may approve its destructive steps; omitted: the approvers of opsbot.yaml. */
    approvers: who.optional(),
    /** How many distinct approvers (never the requester) each destructive step needs. */
    approvals: z.number().int().min(1).max(10).optional(),
  })
  .strict();

/**
 * Break-glass, the GitHub-bypass way: the responders named here may run a change alone with
 * `--break-glass REASON` (no second person's approval); it is announced on the run's card in the
 * channel and in the audit log with who and why. `enabled: false` switches it off for everyone.
 */
const breakGlass = z.object({ enabled: z.boolean().default(true), responders: who }).strict();

export const policySchema = z.object({ rules: z.array(rule).default([]), breakGlass: breakGlass.optional() }).strict();

export type Policy = z.infer<typeof policySchema>;
export type PolicyRule = z.infer<typeof rule>;
export type Who = z.infer<typeof who>;
export type BreakGlassPolicy = z.infer<typeof breakGlass>;

/**
 * Reads and validates the policy file (YAML or JSON: JSON is YAML). A problem stops start-up with
 * one line naming the file, the line and the problem.
 */
export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `${path}: cannot read the policy file ` +
        `(${(err as NodeJS.ErrnoException).code ?? String(err)}): fix policyFile in opsbot.yaml`,
    );
  }
  return parsePolicy(text, path);
}

export function parsePolicy(text: string, where: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line } = lineCounter.linePos(syntax.pos[0]);
    throw new ConfigError(`${where}:${line}: not valid YAML: ${syntax.message.split('\n')[0]}`);
  }
  const parsed = policySchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // The line of the offending value, or of its nearest parent that exists in the file.
  let path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let node: unknown;
  while (path.length && !(node = doc.getIn(path, true))) path = path.slice(0, -1);
  const offset = (node as { range?: [number] } | undefined)?.range?.[0];
  const line = offset === undefined ? 1 : lineCounter.linePos(offset).line;
  throw new ConfigError(`${where}:${line}: ${issue.path.map(String).join('.')}: ${issue.message}`);
}
