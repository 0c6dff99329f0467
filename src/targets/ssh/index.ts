export { SshHost, SshError, type SshHostConfig, type CommandResult, type RunOptions } from './ssh-host.js';
export { shellQuote, commandLine } from './quote.js';
export { parseKnownHosts, verifyHostKey, hostToken, loadKnownHosts, type HostKeyVerdict } from './known-hosts.js';
