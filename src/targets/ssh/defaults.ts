/**
 * The SSH adapter's defaults, stated once. A cluster may set its own command deadline in
 * opsbot.yaml (`ssh.commandTimeoutMs`); the rest are the adapter's.
 */
export const SSH_DEFAULTS = {
  /** How long a remote command may run before it is ended and the call fails ('timeout'). */
  commandTimeoutMs: 10 * 60_000,
  /** How long connecting (TCP, handshake, authentication) may take. */
  connectTimeoutMs: 10_000,
  /**
   * An SSH keepalive every 15 s; 3 unanswered in a row end the connection. A half-open connection
   * (a node that restarted under us) is so detected within about a minute, instead of never.
   */
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
} as const;
