import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../log.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Bolt logs through our pino logger (same JSON lines, same redaction). Bolt logs payloads at
 * debug on every request: they are only stringified when that level is on (hot path).
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const join = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  const at =
    (lvl: Level) =>
    (...m: unknown[]) => {
      if (child.isLevelEnabled(lvl)) child[lvl](join(m));
    };
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
