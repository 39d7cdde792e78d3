import { type CheckCommand, checkCommandsFor } from '../../cleanup/type-check.js';
import type { Diagnostic } from '../../core/diagnostic.js';
import type { Command, ParsedArgs } from '../command.js';
import { type CheckResult, applyWithCheck, recoverInterrupted, refuseDirty } from '../cleanup-apply.js';
import { planCleanup, planDiff } from '../cleanup-run.js';
import { loadProject } from '../project.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { emit, outputOptions, outputOptionsHelp, parseOutputChoice } from '../output.js';
import { runValidation } from '../validation.js';

async function cleanup(args: ParsedArgs, io: Io): Promise<number> {
  const choice = parseOutputChoice(args);
  const keys = args.positionals;
  const ready = args.values.ready === true;
  if (keys.length === 0 && !ready && args.values.restore !== true) throw new UsageError('Name the flags to remove, or pass --ready for every flag ready for removal.', 'flagops cleanup new-checkout, or flagops cleanup --ready');
  const keep = args.values.keep as string | undefined;
  if (keep !== undefined && (keys.length !== 1 || ready)) throw new UsageError('--keep chooses the variant of one flag: name exactly one flag with it.');
  const dryRun = args.values['dry-run'] === true;
  // A cleanup that was killed outright left its journal: put its files back before reading any.
  const recovered = recoverInterrupted(loadProject(io.cwd, args.values.config as string | undefined).root);
  if (args.values.restore === true) {
    const note = recovered ?? 'No interrupted flagops cleanup to put back.';
    if (choice.format === 'json') io.stdout(`${JSON.stringify({ restored: recovered !== undefined, message: note }, null, 2)}\n`);
    else io.stdout(`${note}\n`);
    return EXIT.ok;
  }
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  const failing = validation.diagnostics.filter((d) => d.severity === 'error');
  if (validation.configBroken || failing.length > 0) {
    emit(
      { command: 'cleanup', diagnostics: validation.diagnostics, files: validation.files, sources: validation.sources, notes: ['Nothing was changed: fix the flag files first.'], data: { cleaned: [] } },
      choice,
      io,
    );
    return validation.configBroken ? EXIT.cannotRun : EXIT.findings;
  }
  const now = nowOf(args, io);
  const plan = await planCleanup(validation, {
    cwd: io.cwd,
    io,
    env: io.env,
    now,
    keys,
    ready,
    force: args.values.force === true,
    ...(keep !== undefined ? { keep } : {}),
    ...(args.values.environment !== undefined ? { environment: String(args.values.environment) } : {}),
  });
  const { project } = validation;
  const edited = plan.changes.filter((c) => c.role === 'code' || c.role === 'codegen').map((c) => c.path);
  const commands: CheckCommand[] = args.values['no-check'] ? [] : checkCommandsFor(project.root, edited, project.config.cleanup.check);
  const diagnostics: Diagnostic[] = [...plan.refusals];
  const notes: string[] = recovered ? [recovered] : [];
  let check: CheckResult | undefined;
  let applied = false;
  // Only a dry run shows the diff: on a large cleanup it is most of a second.
  const diff = dryRun ? planDiff(plan.changes) : '';
  if (plan.changes.length > 0 && dryRun) {
    if (choice.format === 'text') io.stdout(diff);
  } else if (plan.changes.length > 0) {
    if (args.values['allow-dirty'] !== true) refuseDirty(project.root, plan.changes);
    const outcome = await applyWithCheck(plan.changes, commands, project.root, io);
    ({ applied, check } = outcome);
    diagnostics.push(...outcome.diagnostics);
    notes.push(...outcome.notes);
  }
  for (const c of plan.cleaned) {
    const files = new Set(plan.edits.filter((e) => e.flag === c.flag && e.action === 'replace-read').map((e) => e.file)).size;
    const verb = dryRun ? 'Would remove' : applied ? 'Removed' : 'Did not remove';
    notes.push(`${verb} "${c.flag}" keeping "${c.kept.variant}" (${JSON.stringify(c.kept.value)}; ${c.kept.because}), ${plural(files, 'source file')}; ${c.ready}.`);
  }
  if (plan.changes.length > 0) {
    const touched = plan.changes.map((c) => `${c.shown}${c.after === null ? ' (deleted)' : ''}`);
    notes.push(`${dryRun ? 'Would change' : applied ? 'Changed' : 'Would have changed'}: ${touched.join(', ')}.`);
  }
  if (check?.passed) notes.push(`${check.command} passes after cleanup (${(check.millis / 1000).toFixed(1)} s).`);
  else if (commands.length === 0 && applied && !args.values['no-check']) notes.push('No type check ran: no tsconfig.json holds the edited files and there is no cleanup.check (set one to guard cleanups).');
  if (plan.cleaned.length === 0 && plan.refusals.length === 0) notes.push(ready && keys.length === 0 ? 'No flag is ready for removal.' : 'Nothing to change.');
  emit(
    {
      command: 'cleanup',
      diagnostics,
      files: plan.scan.files,
      sources: plan.scan.sources,
      notes,
      data: {
        dryRun,
        applied,
        ...(recovered ? { recovered } : {}),
        cleaned: plan.cleaned.map((c) => ({
          flag: c.flag, owner: c.owner, variant: c.kept.variant, value: c.kept.value, because: c.kept.because, ready: c.ready,
        })),
        refused: [...new Set(plan.refusals.map((r) => r.flag!))],
        files: plan.changes.map((c) => ({ file: c.shown, change: c.before === null ? 'created' : c.after === null ? 'deleted' : 'modified', role: c.role })),
        edits: plan.edits,
        ...(check ? { check } : {}),
        ...(dryRun ? { diff } : {}),
      },
    },
    choice,
    io,
  );
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.findings : EXIT.ok;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const cleanupCommand: Command = {
  name: 'cleanup',
  summary: 'Remove finished flags from the code, keeping the value they serve',
  positionals: true,
  options: {
    ...outputOptions,
    ready: { type: 'boolean', default: false },
    keep: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    'no-check': { type: 'boolean', default: false },
    'allow-dirty': { type: 'boolean', default: false },
    restore: { type: 'boolean', default: false },
    environment: { type: 'string', short: 'e' },
    now: { type: 'string' },
  },
  help: `Usage: flagops cleanup [options] <flag...>
       flagops cleanup --ready [options]

Removes flags from the code: every read the scanner finds (SDK and OpenFeature
calls, hooks, flags objects, wrappers, JSX, through consts, enums and imports)
becomes the value the flag serves to everyone in cleanup.environment (default
production), then the code around it is simplified (if/else and early returns,
!, &&, ||, ??, ternaries, JSX, switch on a variant) and what that left unused
goes (imports, local consts and functions, key entries, a wrapper with no
caller). The flag file, its spec cases and its generated code go too. Other
code, comments and formatting stay as they are.

Then it runs the project's check (tsc --noEmit, or cleanup.check) and puts
every file back if the check fails. Whole or nothing: until the check passes, a
journal in .flagops/cleanup/ keeps every file as it was, so SIGINT, SIGTERM or
SIGHUP puts everything back at once, and a run killed outright is put back by the
next flagops cleanup (or --restore). It refuses to edit files with uncommitted
changes unless --allow-dirty. A flag is refused, with the reason at its
place, when its value differs between users, or a read cannot be rewritten, or a
dynamic read may read it (unless --force).

Arguments:
  flag                     keys of the flags to remove

Options:
      --ready              every flag ready for removal: expired, or stale (one
                           variant to everyone in every environment for longer
                           than its type's staleAfterDays)
      --keep <variant>     the variant whose value stays (one flag), when the flag
                           does not serve one value to everyone
  -e, --environment <env>  whose value stays (default: cleanup.environment)
      --dry-run            change nothing; print a unified diff
      --force              remove flags that dynamic reads may read
      --no-check           skip the check after editing
      --allow-dirty        edit files that have uncommitted changes
      --restore            only put back what an interrupted cleanup left edited
      --now <date>         the day readiness and rollout stages are computed for
${outputOptionsHelp}
  -h, --help               show this help

Exit codes:
  0  removed (or, with --dry-run, removable), or nothing to do
  1  a flag was refused, or the check failed (every file put back)
  2  flagops could not run: bad arguments, a broken configuration

Examples:
  flagops cleanup new-checkout --dry-run
  flagops cleanup --ready --format json
  flagops cleanup pricing-page-test --keep classic
  flagops cleanup --restore
`,
  run: cleanup,
};
