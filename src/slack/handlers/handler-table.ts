import type { Command } from '../../commands/types.js';
import type { CommandContext } from './context.js';

export type Handler<C extends Command> = (cmd: C, ctx: CommandContext) => Promise<void>;

/** A handler for every command of a family: the compiler refuses a table that misses one. */
export type HandlerTable<C extends Command> = { [N in C['name']]: Handler<Extract<C, { name: N }>> };
