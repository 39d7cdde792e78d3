import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../helpers/cleanup-project.js';
import { cliPath, flagops } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';

const FILES = 600;
const KILLS = 24;
const NOW = ['--now', '2026-12-10'];

/** A project where cleanup of new-checkout edits 600 files and deletes the flag file. */
function project(): string {
  const files: Record<string, string> = {
    'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: ["src/**"]\n',
    'flags/new-checkout.yaml': 'description: Done.\nowner: "@acme/web"\ntype: release\ncreated: 2026-11-01\nexpires: 2026-12-01\nenvironments:\n  production: { enabled: true, serve: on }\n',
    'src/sdk.ts': 'export declare const flags: { isEnabled(key: string): boolean };\n',
  };
  for (let i = 0; i < FILES; i++) {
    files[`src/f${i}.ts`] = `import { flags } from './sdk.js';\n\nexport function f${i}(): number {\n  return flags.isEnabled('new-checkout') ? ${i} : -1;\n}\n`;
  }
  return tmpProject(files);
}

/** Runs a cleanup and kills it: at a random moment, or right as its journal appears (while it writes). */
function killed(root: string, signal: NodeJS.Signals, at: { afterMs: number } | 'writing'): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'cleanup', 'new-checkout', '--no-check', ...NOW], { cwd: root, stdio: 'ignore' });
    child.on('close', () => resolve());
    if (at !== 'writing') {
      setTimeout(() => child.kill(signal), at.afterMs);
      return;
    }
    const poll = setInterval(() => {
      if (existsSync(join(root, '.flagops/cleanup/journal.json'))) {
        clearInterval(poll);
        setTimeout(() => child.kill(signal), Math.random() * 15);
      }
    }, 1);
    child.on('close', () => clearInterval(poll));
  });
}

describe('flagops cleanup killed at any point leaves the tree as it was or wholly cleaned', () => {
  it(`on ${KILLS} kills (SIGKILL and SIGTERM, at random and while writing) of a cleanup editing ${FILES} files`, async () => {
    const base = project();
    const before = snapshot(base);
    const done = tmpProject();
    cpSync(base, done, { recursive: true });
    const started = performance.now();
    expect(flagops(['cleanup', 'new-checkout', '--no-check', ...NOW], done).code).toBe(0);
    const duration = performance.now() - started;
    const after = snapshot(done);
    expect(Object.keys(after).length).toBe(Object.keys(before).length - 1);
    const outcomes = { before: 0, after: 0 };
    for (let k = 0; k < KILLS; k++) {
      const root = tmpProject();
      cpSync(base, root, { recursive: true });
      const signal = k % 3 === 2 ? 'SIGTERM' : 'SIGKILL';
      await killed(root, signal, k % 2 === 0 ? 'writing' : { afterMs: Math.random() * duration });
      // What the next run finds: it puts back whatever an interrupted run left.
      const restored = flagops(['cleanup', '--restore'], root);
      expect(restored.code, restored.stderr).toBe(0);
      const now = snapshot(root);
      if (JSON.stringify(now) === JSON.stringify(before)) outcomes.before++;
      else {
        expect(now).toEqual(after);
        outcomes.after++;
      }
    }
    console.log(`cleanup kills: a cleanup of ${FILES} files takes ${Math.round(duration)} ms; of ${KILLS} interrupted, ${outcomes.before} as they were, ${outcomes.after} wholly cleaned`);
    expect(outcomes.before).toBeGreaterThan(0);
  });
});
