import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One file an edit writes: `after` null deletes it. */
export interface FileEdit {
  path: string;
  after: string | null;
}

interface Entry {
  path: string;
  /** The copy of the file as it was; null when the edit creates it. */
  backup: string | null;
  mode: number | null;
}

interface Record {
  version: 1;
  /** What wrote it, for the message that restores it. */
  command: string;
  pid: number;
  started: string;
  files: Entry[];
}

const RECORD = 'journal.json';

/**
 * Whole-or-nothing edits of many files, for `flagops cleanup`: before the first write, a copy of
 * every file as it was (with its mode) and the list of them is kept in the journal folder, and
 * only when the edits are done and checked is the journal removed. A process interrupted at any
 * point (SIGKILL included) leaves the journal, and the next run puts every file back from it.
 * Each file is written to a temporary file beside it and renamed into place, so no file is ever
 * half written.
 */
export class EditJournal {
  private constructor(
    private readonly folder: string,
    private readonly record: Record,
  ) {}

  /** The journal an interrupted run left, if any. */
  static pending(folder: string): { command: string; pid: number; started: string; files: string[] } | undefined {
    const record = readRecord(folder);
    return record && { command: record.command, pid: record.pid, started: record.started, files: record.files.map((f) => f.path) };
  }

  /** Puts back every file an interrupted run had begun to edit, and removes its journal; the files it restored. */
  static recover(folder: string): string[] {
    const record = readRecord(folder);
    if (!record) {
      // A journal that never got its record: the run stopped before its first edit.
      rmSync(folder, { recursive: true, force: true });
      return [];
    }
    // Copies go only after the run committed or put everything back: a record with a copy missing
    // is a journal whose removal was cut short (by an earlier flagops), with nothing left to undo.
    if (record.files.some((f) => f.backup !== null && !existsSync(join(folder, f.backup)))) {
      discard(folder);
      return [];
    }
    new EditJournal(folder, record).restore();
    return record.files.map((f) => f.path);
  }

  /** Keeps a copy of every file the edits touch; nothing is edited yet. */
  static begin(folder: string, command: string, edits: readonly FileEdit[]): EditJournal {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(join(folder, 'files'), { recursive: true });
    const files: Entry[] = edits.map((edit, i) => {
      if (!existsSync(edit.path)) return { path: edit.path, backup: null, mode: null };
      const backup = join('files', String(i));
      copyFileSync(edit.path, join(folder, backup));
      return { path: edit.path, backup, mode: statSync(edit.path).mode & 0o7777 };
    });
    const record: Record = { version: 1, command, pid: process.pid, started: new Date().toISOString(), files };
    // The record is the commit point of the journal: once it is there, every copy is.
    writeWhole(join(folder, RECORD), `${JSON.stringify(record, null, 2)}\n`, 0o600, true);
    return new EditJournal(folder, record);
  }

  /** Writes every edit, each file whole (a temporary file renamed into place) and with the mode it had. */
  apply(edits: readonly FileEdit[]): void {
    const modes = new Map(this.record.files.map((f) => [f.path, f.mode]));
    for (const edit of edits) {
      if (edit.after === null) {
        if (existsSync(edit.path)) unlinkSync(edit.path);
        continue;
      }
      mkdirSync(dirname(edit.path), { recursive: true });
      writeWhole(edit.path, edit.after, modes.get(edit.path) ?? undefined);
    }
  }

  /** Every file as it was before begin(), then the journal goes. Safe to run again if interrupted. */
  restore(): void {
    for (const file of this.record.files) {
      removeTemporaries(file.path);
      if (file.backup === null) {
        if (existsSync(file.path)) unlinkSync(file.path);
        continue;
      }
      mkdirSync(dirname(file.path), { recursive: true });
      const temporary = temporaryBeside(file.path);
      copyFileSync(join(this.folder, file.backup), temporary);
      chmodSync(temporary, file.mode ?? 0o644);
      renameSync(temporary, file.path);
    }
    discard(this.folder);
  }

  /** The edits stay: the journal goes. */
  commit(): void {
    discard(this.folder);
  }
}

/**
 * Removes a journal record first: a run killed while the folder is being removed must not leave a
 * record whose copies are already gone (the next run would find files it cannot put back).
 */
function discard(folder: string): void {
  rmSync(join(folder, RECORD), { force: true });
  rmSync(folder, { recursive: true, force: true });
}

function readRecord(folder: string): Record | undefined {
  const path = join(folder, RECORD);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Record;
}

const temporaryBeside = (path: string) => join(dirname(path), `.${basename(path)}.flagops-${process.pid}.tmp`);

/**
 * Writes a file through a temporary one renamed into place, with the given mode: a reader (or a
 * kill) never sees it half written. Synced to disk only where asked (the journal's record).
 */
function writeWhole(path: string, text: string, mode?: number, sync = false): void {
  const temporary = temporaryBeside(path);
  writeFileSync(temporary, text, mode === undefined ? {} : { mode });
  if (mode !== undefined) chmodSync(temporary, mode);
  if (sync) syncFile(temporary);
  renameSync(temporary, path);
}

/** A temporary file a killed run left beside `path`. */
function removeTemporaries(path: string): void {
  const prefix = `.${basename(path)}.flagops-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(join(dirname(path), name), { force: true });
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
