export { SshHost, type CommandResult } from './ssh-host.js';
export { connectOptions, type SshHostConfig, type RunOptions } from './options.js';
export { SshError, type SshErrorKind } from './ssh-error.js';
export { SSH_DEFAULTS } from './defaults.js';
export { shellQuote, commandLine } from './quote.js';
export { parseKnownHosts, verifyHostKey, hostToken, loadKnownHosts, type HostKeyVerdict } from './known-hosts.js';
