import type { BreakGlassPolicy } from '../config/policy.js';
import type { SlackDirectory } from './slack-directory.js';

/**
 * Why `user` may not run `commandKey` alone with `--break-glass`, or undefined when the policy
 * names them a responder. Each refusal says who may, or what to change in the policy.
 */
export async function breakGlassRefusal(
  policy: BreakGlassPolicy | undefined,
  directory: SlackDirectory,
  user: string,
  commandKey: string,
): Promise<string | undefined> {
  const asUsual = `or have \`${commandKey}\` approved as usual (without --break-glass)`;
  if (!policy || policy.responders.users.length + policy.responders.usergroups.length === 0)
    return (
      '`--break-glass` is not set up: the policy names no responders. Add `breakGlass: { responders: ' +
      `{ users: [...] } }\` to the policy file (see policy.example.yaml), ${asUsual}.`
    );
  const who = directory.describe(policy.responders);
  if (!policy.enabled)
    return `\`--break-glass\` is switched off in the policy (\`breakGlass.enabled: false\`): ${asUsual}.`;
  if (!(await directory.isIn(user, policy.responders)))
    return `Only ${who} may use \`--break-glass\` (policy \`breakGlass.responders\`): ask one of them, ${asUsual}.`;
  return undefined;
}
