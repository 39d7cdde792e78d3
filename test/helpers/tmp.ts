import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

/** A throw-away project folder, removed after the test file; files given as path → content. */
export function tmpProject(files: Record<string, string | Uint8Array> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'flagops-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) writeFile(root, path, content);
  return root;
}

export function writeFile(root: string, path: string, content: string | Uint8Array): string {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

export const validFlag = `description: A flag for a test.
owner: "@acme/web"
type: release
created: 2026-11-10
expires: 2026-12-10
environments:
  staging: { enabled: true, serve: on }
`;
