/** What every CLI command is: it gets the engine host, the parsed arguments and the output channel. */
import type { EngineHost } from '../engine/host';
import type { CliOutput } from './output';
import type { CommandArgs } from './workspace-commands';

export type { CommandArgs };

export type Command = (host: EngineHost, args: CommandArgs, out: CliOutput) => Promise<number>;

/** Options of node:util parseArgs, declared by each command file and joined in electron/cli.ts. */
export type CommandOptions = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** What one capability adds to the CLI: its commands, their options and their lines of the usage text. */
export interface CommandGroup {
  commands: Record<string, Command>;
  options: CommandOptions;
  usage: string;
}
