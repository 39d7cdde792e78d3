import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EditJournal } from '../../src/files/edit-journal.js';
import { tmpProject } from '../helpers/tmp.js';

function edited(): { root: string; folder: string; a: string; b: string } {
  const root = tmpProject({ 'a.ts': 'a before\n', 'b.ts': 'b before\n' });
  const [a, b] = [join(root, 'a.ts'), join(root, 'b.ts')];
  chmodSync(b, 0o600);
  const folder = join(root, '.flagops/cleanup');
  const edits = [{ path: a, after: 'a after\n' }, { path: b, after: 'b after\n' }];
  EditJournal.begin(folder, 'test', edits).apply(edits);
  return { root, folder, a, b };
}

describe('the edit journal', () => {
  it('puts back every file of a run killed after its edits, with its mode', () => {
    const { folder, a, b } = edited();
    expect(EditJournal.recover(folder)).toEqual([a, b]);
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['a before\n', 'b before\n']);
    expect(statSync(b).mode & 0o777).toBe(0o600);
    expect(existsSync(folder)).toBe(false);
  });

  it('takes a journal whose removal was cut short for a finished one: nothing to undo, no error', () => {
    const { folder, a, b } = edited();
    // What a run killed inside the folder's removal could leave: the record, and not every copy.
    const copies = join(folder, 'files');
    rmSync(join(copies, readdirSync(copies)[0]!));
    expect(EditJournal.recover(folder)).toEqual([]);
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['a after\n', 'b after\n']);
    expect(existsSync(folder)).toBe(false);
  });

  it('is gone once committed: a later recovery finds nothing to do and leaves later edits alone', () => {
    const { folder, a } = edited();
    const edits = [{ path: a, after: 'a again\n' }];
    const journal = EditJournal.begin(folder, 'test', edits);
    journal.apply(edits);
    journal.commit();
    expect(existsSync(folder)).toBe(false);
    writeFileSync(a, 'the user edits it\n');
    expect(EditJournal.recover(folder)).toEqual([]);
    expect(readFileSync(a, 'utf8')).toBe('the user edits it\n');
  });
});
