import { join, resolve } from 'node:path';
import { type CheckCommand, runCheck } from '../../cleanup/type-check.js';
import type { Diagnostic } from '../../core/shared/diagnostic.js';
import { lineBefore } from '../../core/shared/unified-diff.js';
import { EditJournal } from '../../files/edit-journal.js';
import { uncommitted } from '../../files/git.js';
import type { FileChange } from './cleanup.js';
import { type Io, UsageError } from '../io.js';

/** Where cleanup keeps what it needs to put every file back until its edits are checked. */
export const journalFolder = (root: string) => join(root, '.flagops', 'cleanup');

export interface CheckResult {
  command: string;
  passed: boolean;
  millis: number;
  output?: string;
  passesWithout?: boolean;
}

export interface Applied {
  applied: boolean;
  check?: CheckResult;
  diagnostics: Diagnostic[];
  notes: string[];
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Puts back what an interrupted cleanup left edited (killed, or its machine stopped): the note
 * that says so, or undefined when there was nothing to put back. A cleanup still running in
 * another process is left alone, and this one refuses.
 */
export function recoverInterrupted(root: string): string | undefined {
  const folder = journalFolder(root);
  const pending = EditJournal.pending(folder);
  if (pending && pending.pid !== process.pid && isRunning(pending.pid)) {
    throw new UsageError(
      `Another flagops cleanup (process ${pending.pid}, started ${pending.started}) is editing this project.`,
      'Wait for it to finish, or stop it: it puts every file back when it is stopped.',
    );
  }
  const restored = EditJournal.recover(folder);
  if (restored.length === 0) return undefined;
  const when = pending ? ` (started ${pending.started})` : '';
  return `An earlier flagops cleanup${when} was interrupted before it finished: its ${restored.length} edited file${restored.length === 1 ? ' is' : 's are'} back as ${restored.length === 1 ? 'it was' : 'they were'}.`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The check's errors are in the edited files, which are put back: each points at the line as the
 * file is now, and quotes the edited line it is about.
 */
function atLineBefore(d: Diagnostic, changes: readonly FileChange[], cwd: string): Diagnostic {
  const change = changes.find((c) => c.shown === d.file || resolve(cwd, d.file) === c.path);
  if (!change?.before || !change.after) return d;
  const at = lineBefore(change.before, change.after, d.line);
  const edited = change.after.split('\n')[d.line - 1]?.trim().slice(0, 120) ?? '';
  return {
    ...d,
    line: at.line,
    column: at.changed ? 1 : d.column,
    message: at.changed ? `${d.message} Cleanup had written this line as: ${edited}` : d.message,
  };
}

/** A file cleanup would edit that holds uncommitted work: cleanup could not give it back as the user left it. */
export function refuseDirty(root: string, changes: readonly FileChange[]): void {
  const dirty = uncommitted(root, changes.map((c) => c.path));
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, 10).join(', ') + (dirty.length > 10 ? ` and ${dirty.length - 10} more` : '');
  throw new UsageError(
    `flagops cleanup would edit files with uncommitted changes: ${shown}. Nothing was changed.`,
    'Commit or stash them first (a cleanup is easiest to review as a commit of its own), or pass --allow-dirty.',
  );
}

/**
 * Applies the changes whole or not at all: a journal keeps every file as it was until the check
 * passes; a failing check, SIGINT, SIGTERM or SIGHUP puts every file back at once, and a run
 * killed outright is put back by the next cleanup.
 */
export async function applyWithCheck(changes: readonly FileChange[], commands: readonly CheckCommand[], root: string, io: Io): Promise<Applied> {
  const journal = EditJournal.begin(journalFolder(root), 'flagops cleanup', changes.map((c) => ({ path: c.path, after: c.after })));
  const stopCheck = new AbortController();
  const onSignal = (signal: keyof typeof SIGNALS) => {
    stopCheck.abort();
    journal.restore();
    io.stderr(`flagops cleanup stopped by ${signal}: every file is as it was (${changes.length} put back).\n`);
    process.exit(SIGNALS[signal]);
  };
  const handlers = Object.keys(SIGNALS).map((signal) => [signal, () => onSignal(signal as keyof typeof SIGNALS)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    journal.apply(changes.map((c) => ({ path: c.path, after: c.after })));
    if (commands.length === 0) {
      journal.commit();
      return { applied: true, diagnostics: [], notes: [] };
    }
    const outcomes = [];
    for (const command of commands) outcomes.push({ command, outcome: await runCheck(command, io.cwd, stopCheck.signal) });
    const failed = outcomes.filter((o) => !o.outcome.passed);
    const check: CheckResult = {
      command: commands.map((c) => c.shown).join(' && '),
      passed: failed.length === 0,
      millis: Math.round(outcomes.reduce((sum, o) => sum + o.outcome.millis, 0)),
    };
    if (failed.length === 0) {
      journal.commit();
      return { applied: true, check, diagnostics: [], notes: [] };
    }
    journal.restore();
    check.output = failed.map((f) => f.outcome.output).join('\n');
    // Was it this change? The same check on the code as it was says.
    let before = true;
    for (const f of failed) before = (await runCheck(f.command, io.cwd, stopCheck.signal)).passed && before;
    check.passesWithout = before;
    const shown = failed.map((f) => f.command.shown).join(' and ');
    return {
      applied: false,
      check,
      diagnostics: failed.flatMap((f) => f.outcome.diagnostics).map((d) => atLineBefore(d, changes, io.cwd)),
      notes: [
        before
          ? `${shown} failed after cleanup and passes without it: every file is as it was.`
          : `${shown} fails on the code as it is, without cleanup: every file is as it was. Make it pass first, or pass --no-check.`,
      ],
    };
  } catch (error) {
    journal.restore();
    throw error;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
