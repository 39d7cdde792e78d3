import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CodegenConfig, defaultCodegen } from '../core/config.js';
import { generateCode } from '../core/codegen/generate.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { displayPath } from '../files/read-flag-files.js';
import type { ValidationRun } from './validation.js';

export interface GeneratedFile {
  path: string;
  shown: string;
  text: string;
  exists: boolean;
  /** The file on disk says the same. */
  current: boolean;
}

/** What `flagops codegen` writes for these flags today, beside what is on disk. */
export function codegenFiles(
  validation: ValidationRun,
  options: { cwd: string; now: number; out?: string; manifest?: string | null },
): GeneratedFile[] {
  const config: CodegenConfig = validation.project.config.codegen ?? defaultCodegen();
  const { module, manifest } = generateCode(
    validation.flags.map((f) => ({ key: f.key, definition: f.definition })),
    {
      today: new Date(options.now).toISOString().slice(0, 10),
      deprecateBeforeDays: config.deprecateBeforeDays,
      targets: config.targets,
      sdkModule: config.sdk,
    },
  );
  const root = validation.project.root;
  const out = options.out !== undefined ? resolve(options.cwd, options.out) : resolve(root, config.out);
  const manifestOption = options.manifest !== undefined ? options.manifest : config.manifest;
  let manifestPath: string | undefined;
  if (options.manifest) manifestPath = resolve(options.cwd, options.manifest);
  else if (manifestOption !== null) manifestPath = resolve(root, manifestOption);
  const files = [{ path: out, text: module }, ...(manifestPath ? [{ path: manifestPath, text: manifest }] : [])];
  return files.map((f) => {
    const exists = existsSync(f.path);
    return { ...f, shown: displayPath(options.cwd, f.path), exists, current: exists && readFileSync(f.path, 'utf8') === f.text };
  });
}

export function staleDiagnostics(files: readonly GeneratedFile[]): Diagnostic[] {
  return files
    .filter((f) => !f.current)
    .map((f) => ({
      severity: 'error' as const,
      code: 'codegen-stale',
      file: f.shown,
      line: 1,
      column: 1,
      message: f.exists
        ? `${f.shown} is not what flagops codegen makes from the flag files now (a flag changed, or a key reached its @deprecated days).`
        : `${f.shown} does not exist yet: flagops codegen writes it from the flag files.`,
      hint: 'Run flagops codegen and commit the result.',
    }));
}
