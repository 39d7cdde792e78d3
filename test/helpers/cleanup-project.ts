import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fixture, repoRoot } from './cli.js';
import { tmpProject } from './tmp.js';

/** Shared by the cleanup tests: the day every fixture flag is judged on. */
export const NOW = ['--now', '2026-12-10'];

/**
 * The forms fixture as a project: before/ as src/, TypeScript and React from this repository.
 * `typescript` names the package the project has as `typescript` (`typescript-7`: TypeScript 7).
 */
export function formsProject(typescript = 'typescript'): string {
  const root = tmpProject();
  const from = fixture('cleanup', 'forms');
  for (const entry of ['flagops.config.yaml', 'flags', 'tsconfig.json', 'package.json']) cpSync(join(from, entry), join(root, entry), { recursive: true });
  cpSync(join(from, 'before'), join(root, 'src'), { recursive: true });
  const modules = join(repoRoot, 'node_modules');
  if (typescript === 'typescript') {
    symlinkSync(modules, join(root, 'node_modules'), 'dir');
    return root;
  }
  mkdirSync(join(root, 'node_modules'));
  for (const entry of readdirSync(modules)) {
    if (entry !== 'typescript' && entry !== '.bin') symlinkSync(join(modules, entry), join(root, 'node_modules', entry), 'dir');
  }
  symlinkSync(join(modules, typescript), join(root, 'node_modules', 'typescript'), 'dir');
  return root;
}

/** Every file below `dir`, as path → text. */
export function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory()) Object.assign(out, snapshot(dir, path));
    else out[path] = readFileSync(join(dir, path), 'utf8');
  }
  return out;
}

/** after/ holds each file cleanup changes; the others must stay as they were in before/. */
export function expectAfter(root: string) {
  const changed = new Set(readdirSync(fixture('cleanup', 'forms', 'after')));
  for (const file of readdirSync(fixture('cleanup', 'forms', 'before'))) {
    const expected = fixture('cleanup', 'forms', changed.has(file) ? 'after' : 'before', file);
    expect(readFileSync(join(root, 'src', file), 'utf8'), file).toBe(readFileSync(expected, 'utf8'));
  }
}
