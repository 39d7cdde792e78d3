import type { ParsedArgs } from '../command.js';
import { EXIT, type Io } from '../io.js';
import { nowOf } from '../now.js';
import { emit, exitCodeFor, parseOutputChoice } from '../output.js';
import { caseLines, runSpecFiles, specSummary } from './spec.js';
import { runValidation } from './validation.js';

/** What `flagops test` does with its arguments. */
export async function runTest(args: ParsedArgs, io: Io): Promise<number> {
  const choice = parseOutputChoice(args);
  const now = nowOf(args, io);
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  if (validation.configBroken) {
    emit({ command: 'test', diagnostics: validation.diagnostics, files: 1, sources: validation.sources, data: { cases: [] } }, choice, io);
    return EXIT.cannotRun;
  }
  const run = runSpecFiles(validation, { cwd: io.cwd, paths: args.positionals, now });
  const notes = [...(args.values.list ? ['Cases:', ...caseLines(run.results), ''] : []), ...specSummary(run)];
  if (run.files === 0) notes.push(`No flag spec files: add some to ${validation.project.config.paths.tests}/ (see flagops test --help).`);
  const invalidFlags = validation.flagFiles.length - validation.flags.length;
  if (invalidFlags > 0) notes.push(`${invalidFlags} flag file${invalidFlags === 1 ? ' has' : 's have'} errors and cannot be tested (run flagops validate).`);
  emit({ command: 'test', diagnostics: run.diagnostics, files: run.files, sources: run.sources, notes, data: { cases: run.results } }, choice, io);
  return exitCodeFor(run.diagnostics, choice.failOn);
}
