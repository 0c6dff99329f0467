import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import type { ClusterConfig } from '../../config/estate.js';
import { ConfigError } from '../../config/config-error.js';

/**
 * Builds the official client for a named cluster. Credentials are read from the environment
 * variables the estate file names, so opsbot.yaml never holds a secret.
 */
export function connectCluster(name: string, cfg: ClusterConfig, env: NodeJS.ProcessEnv = process.env): Client {
  const options: ClientOptions = {
    node: cfg.url,
    requestTimeout: cfg.requestTimeoutMs,
    // One retry at the client level; runs retry with backoff themselves and say so in the thread.
    maxRetries: 1,
  };
  if (cfg.auth && 'apiKeyEnv' in cfg.auth) {
    options.auth = { apiKey: need(env, cfg.auth.apiKeyEnv, name) };
  } else if (cfg.auth) {
    options.auth = { username: need(env, cfg.auth.usernameEnv, name), password: need(env, cfg.auth.passwordEnv, name) };
  }
  if (cfg.caFile) {
    try {
      options.tls = { ca: readFileSync(cfg.caFile) };
    } catch (err) {
      throw new ConfigError(
        `opsbot.yaml: clusters.${name}.caFile: cannot read ${cfg.caFile} ` +
          `(${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      );
    }
  }
  return new Client(options);
}

function need(env: NodeJS.ProcessEnv, variable: string, cluster: string): string {
  const v = env[variable];
  if (!v)
    throw new ConfigError(`environment: ${variable} is not set (credential of cluster ${cluster} in opsbot.yaml)`);
  return v;
}
