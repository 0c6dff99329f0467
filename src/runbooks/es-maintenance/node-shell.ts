import type { ClusterConfig } from '../../config/estate.js';
import { shellQuote, SshHost } from '../../targets/ssh/index.js';
import type { NodeRef } from './node-ref.js';

export interface SshKey {
  privateKeyPath?: string;
  passphrase?: string;
}

/**
 * An operator's command template with the node's own values put in, each quoted:
 * `sudo systemctl restart elasticsearch` or `curl -XPOST http://127.0.0.1:9999/_sim/nodes/{node}/_restart`.
 */
export function renderNodeCommand(template: string, node: NodeRef): string {
  return template.replace(/\{(node|ip|host)\}/g, (_, k: 'node' | 'ip' | 'host') =>
    shellQuote(k === 'node' ? node.name : node[k]),
  );
}

/**
 * The SSH connection to a node: its address from the node list, user/port/known_hosts and the
 * commands' deadline (`ssh.commandTimeoutMs`, else SSH_DEFAULTS) from opsbot.yaml. Commands run on
 * a terminal so that a command past its deadline, or aborted by `signal` (a step's `ctx.signal`),
 * is ended on the node too, not only given up on; their stderr then arrives within stdout.
 */
export function nodeShell(cfg: ClusterConfig, key: SshKey, node: NodeRef, signal?: AbortSignal): SshHost {
  if (!key.privateKeyPath) throw new Error('SSH_PRIVATE_KEY_PATH is not set: the bot cannot reach the nodes over SSH');
  if (!cfg.ssh.knownHosts)
    throw new Error('ssh.knownHosts is not set for this cluster in opsbot.yaml: host keys must be verified');
  return new SshHost({
    host: cfg.ssh.address === 'host' ? node.host : node.ip,
    port: cfg.ssh.port,
    user: cfg.ssh.user,
    privateKeyPath: key.privateKeyPath,
    ...(key.passphrase ? { passphrase: key.passphrase } : {}),
    knownHostsPath: cfg.ssh.knownHosts,
    ...(cfg.ssh.commandTimeoutMs ? { commandTimeoutMs: cfg.ssh.commandTimeoutMs } : {}),
    pty: true,
    ...(signal ? { signal } : {}),
  });
}

/** The last lines of a command's output, for the thread (bounded: Slack sections hold 3,000 characters). */
export function tail(text: string, lines = 15, chars = 1500): string {
  const t = text.trimEnd().split('\n').slice(-lines).join('\n');
  return t.length > chars ? `…${t.slice(-chars)}` : t;
}
