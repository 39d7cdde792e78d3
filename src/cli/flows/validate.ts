import type { ParsedArgs } from '../command.js';
import { EXIT, type Io } from '../io.js';
import { emit, exitCodeFor, parseOutputChoice } from '../output.js';
import { runValidation } from './validation.js';

/** Shared by validate and check: validate, report, and turn findings into an exit code. */
export async function validateAndReport(command: string, args: ParsedArgs, io: Io): Promise<number> {
  const choice = parseOutputChoice(args);
  const run = runValidation(io.cwd, {
    config: args.values.config as string | undefined,
    paths: args.positionals,
  });
  emit(
    {
      command,
      diagnostics: run.diagnostics,
      files: run.files,
      sources: run.sources,
      data: { flags: run.flags.map((f) => ({ key: f.key, file: f.file, type: f.definition.type })) },
    },
    choice,
    io,
  );
  if (run.configBroken) return EXIT.cannotRun;
  return exitCodeFor(run.diagnostics, choice.failOn);
}
