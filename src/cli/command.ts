import type { ParseArgsConfig } from 'node:util';
import type { Io } from './io.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for `flagops --help`. */
  summary: string;
  /** The whole `flagops <name> --help` text. */
  help: string;
  options: Options;
  positionals: boolean;
  run(args: ParsedArgs, io: Io): Promise<number>;
}
