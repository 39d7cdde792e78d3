import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { commands } from './commands/index.js';
import { FlagopsError } from '../errors.js';
import { EXIT, type Io, UsageError } from './io.js';
import { toolInfo } from './output.js';
import { didYouMean } from '../core/shared/suggest.js';

const mainHelp = () => `flagops — feature flags as code

Usage: flagops <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Options:
  -h, --help      show help (also: flagops <command> --help)
  -v, --version   show the version

Docs: docs/ in the flagops repository, one page per command.
`;

/** The whole CLI as a function of arguments and io: exit code out, nothing thrown for user mistakes. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    if (first === undefined) {
      io.stderr(mainHelp());
      return EXIT.cannotRun;
    }
    io.stdout(topic ? topic.help : mainHelp());
    return EXIT.ok;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${toolInfo().version}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === first);
  try {
    if (!command) {
      const guess = didYouMean(first, commands.map((c) => c.name));
      throw new UsageError(
        `Unknown command "${first}".${guess ? ` Did you mean "${guess}"?` : ''}`,
        `Commands: ${commands.map((c) => c.name).join(', ')}.`,
      );
    }
    if (rest.includes('-h') || rest.includes('--help')) {
      io.stdout(command.help);
      return EXIT.ok;
    }
    return await command.run(parse(command, rest), io);
  } catch (error) {
    if (error instanceof FlagopsError) {
      io.stderr(`flagops: ${error.message}\n`);
      if (error.hint) io.stderr(`${error.hint}\n`);
      if (error instanceof UsageError) io.stderr(`Run "${command ? `flagops ${command.name} --help` : 'flagops --help'}".\n`);
      // A script that asked for JSON gets JSON, failure included.
      if (wantsJson(rest)) {
        io.stdout(`${JSON.stringify({ tool: toolInfo(), command: command?.name ?? first, error: { message: error.message, ...(error.hint ? { hint: error.hint } : {}) } }, null, 2)}\n`);
      }
      return EXIT.cannotRun;
    }
    io.stderr(`flagops: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    io.stderr('This is a bug in flagops; please report it with the command you ran.\n');
    if (io.env.FLAGOPS_DEBUG) io.stderr(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT.cannotRun;
  }
}

/** --format json, -f json or --format=json anywhere in the arguments. */
function wantsJson(args: readonly string[]): boolean {
  return args.some((arg, i) => arg === '--format=json' || arg === '-fjson' || ((arg === '--format' || arg === '-f') && args[i + 1] === 'json'));
}

function parse(command: Command, args: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: command.options,
      allowPositionals: command.positionals,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    // node:util says e.g. "Unknown option '--fomat'"; keep its words, drop its code, add a guess.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    const unknown = /^Unknown option '(--?[^']+)'/.exec(message)?.[1];
    const guess = unknown?.startsWith('--') ? didYouMean(unknown.slice(2), Object.keys(command.options)) : undefined;
    throw new UsageError(guess ? `${message.replace(/\.$/, '')}. Did you mean --${guess}?` : message);
  }
}
