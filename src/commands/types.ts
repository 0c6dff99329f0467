import type { ActiveDataCommand } from './activedata-commands.js';
import type { EsCommand } from './es-commands.js';
import type { EtlCommand } from './etl-commands.js';
import type { OpsCommand } from './ops-commands.js';

/** The slash commands the Slack app registers (see slack-app-manifest.yml). */
export const SLASH_COMMANDS = ['/es', '/ops', '/activedata', '/etl', '/spot'] as const;
export type Slash = (typeof SLASH_COMMANDS)[number];

/** Every command, typed, one union per slash command. The grammar turns text into one of these or a usage error. */
export type Command = EsCommand | OpsCommand | ActiveDataCommand | EtlCommand;

export type CommandName = Command['name'];

export type ParseResult =
  /** `key` is the command's policy name: "es drain". */
  | {
      ok: true;
      command: Command;
      key: string;
      changes: boolean;
      /** `--break-glass REASON`: run alone, if the policy names the requester a responder. */
      breakGlass?: string;
    }
  | { ok: false; error: string; usage: string[] };
