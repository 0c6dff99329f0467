import type { CommandResult, SshHost } from '../../targets/ssh/index.js';

/**
 * What cron does every ten minutes, on demand: run each enabled line of the cron file on the host
 * (comments and disabled lines skipped), one after the other. The file is the one the bot edits,
 * so a stopped SpotManager really does not run.
 */
const TICK = [
  'f="$1"',
  'grep -v "^[[:space:]]*#" "$f" | grep -v "^[[:space:]]*$" | while read -r m h dom mon dow cmd; do',
  '  echo "cron: $cmd"',
  '  sh -c "$cmd" < /dev/null',
  'done',
].join('\n');

export function runCronTick(ssh: SshHost, cronFile: string): Promise<CommandResult> {
  return ssh.run(['sh', '-c', TICK, 'cron-tick', cronFile], { timeoutSeconds: 120 });
}
