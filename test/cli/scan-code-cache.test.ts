import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagops } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';

const major = Number(process.versions.node.split('.')[0]);

describe('the compiled-code cache of TypeScript', () => {
  // Node 22 and later cache compiled code themselves (module.enableCompileCache).
  it.runIf(major < 22)('is written to the user\'s cache folder, used next time, and a corrupt one only costs time', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'environments:\n  production: {}\n',
      'flags/a.yaml': 'description: A.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-10-01\nenvironments:\n  production: { enabled: true }\n',
      'src/app.ts': 'isEnabled(\'a\');\n',
    });
    const cacheHome = tmpProject();
    const env = { XDG_CACHE_HOME: cacheHome };
    const first = flagops(['scan', '--list'], root, { env });
    const folder = join(cacheHome, 'flagops');
    const [file] = readdirSync(folder);
    expect(file).toMatch(/^typescript-[0-9a-f]{16}\.v8$/);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, file!)).mode & 0o777).toBe(0o600);
    const second = flagops(['scan', '--list'], root, { env });
    writeFileSync(join(folder, file!), 'not V8 code');
    const corrupt = flagops(['scan', '--list'], root, { env });
    for (const run of [first, second, corrupt]) {
      expect(run.stdout).toContain('src/app.ts:1:11  a  call via isEnabled');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    // The corrupt file was rejected and replaced by a good one.
    expect(statSync(join(folder, file!)).size).toBeGreaterThan(1024 * 1024);
  });
});
