import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { type CodegenConfig, defaultCodegen } from '../../core/definition/config.js';
import { generateCode, GENERATED_HEADER, REGENERATE_PREFIX } from '../../core/lifecycle/codegen/generate.js';
import type { Diagnostic } from '../../core/shared/diagnostic.js';
import { displayPath } from '../../files/read-flag-files.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io } from '../io.js';
import { nowOf } from '../now.js';
import { emit, exitCodeFor, parseOutputChoice } from '../output.js';
import { runValidation, type ValidationRun } from './validation.js';

export interface GeneratedFile {
  path: string;
  shown: string;
  text: string;
  exists: boolean;
  /** The file on disk says the same. */
  current: boolean;
  /** Keys the module marks @deprecated (counted from the flags, 0 for the manifest). */
  deprecated: number;
}

/** What `flagops codegen` writes for these flags today, beside what is on disk. */
export function codegenFiles(
  validation: ValidationRun,
  options: { cwd: string; now: number; out?: string; manifest?: string | null },
): GeneratedFile[] {
  const config: CodegenConfig = validation.project.config.codegen ?? defaultCodegen();
  const root = validation.project.root;
  const out = options.out !== undefined ? resolve(options.cwd, options.out) : resolve(root, config.out);
  const manifestOption = options.manifest !== undefined ? options.manifest : config.manifest;
  let manifestPath: string | undefined;
  if (options.manifest) manifestPath = resolve(options.cwd, options.manifest);
  else if (manifestOption !== null) manifestPath = resolve(root, manifestOption);
  // Where it went and what goes with it, as a command from the root: cleanup regenerates it from this.
  const fromRoot = (path: string) => {
    const shown = relative(root, path).split('\\').join('/');
    return /[\s"]/.test(shown) ? JSON.stringify(shown) : shown;
  };
  const regenerate = `flagops codegen --out ${fromRoot(out)} ${manifestPath ? `--manifest ${fromRoot(manifestPath)}` : '--no-manifest'}`;
  const { module, manifest, deprecated } = generateCode(
    validation.flags.map((f) => ({ key: f.key, definition: f.definition })),
    {
      today: new Date(options.now).toISOString().slice(0, 10),
      deprecateBeforeDays: config.deprecateBeforeDays,
      targets: config.targets,
      sdkModule: config.sdk,
      regenerate,
    },
  );
  const files = [{ path: out, text: module, deprecated }, ...(manifestPath ? [{ path: manifestPath, text: manifest, deprecated: 0 }] : [])];
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

/**
 * Every generated module among `candidates` (its first line says so), with the manifest its
 * header records: what cleanup regenerates, wherever `flagops codegen --out` put it. A module
 * from before headers recorded it goes with the configured (or default) manifest.
 */
export function generatedModules(root: string, candidates: Iterable<string>): { out: string; manifest?: string | null }[] {
  const out: { out: string; manifest?: string | null }[] = [];
  const seen = new Set<string>();
  for (const path of candidates) {
    if (seen.has(path)) continue;
    seen.add(path);
    const [first, second] = head(path).split(/\r?\n/);
    if (first !== GENERATED_HEADER) continue;
    if (!second?.startsWith(REGENERATE_PREFIX)) {
      out.push({ out: path });
      continue;
    }
    const command = second.slice(REGENERATE_PREFIX.length);
    const at = (flag: string) => {
      const m = new RegExp(`${flag} ("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(command)?.[1];
      return m?.startsWith('"') ? (JSON.parse(m) as string) : m;
    };
    const manifest = at('--manifest');
    out.push({ out: path, manifest: command.includes('--no-manifest') || manifest === undefined ? null : resolve(root, manifest) });
  }
  return out;
}

/** The first bytes of a file (its header lines); '' when it cannot be read. */
function head(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(1024);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
export async function codegen(args: ParsedArgs, io: Io): Promise<number> {
  const choice = parseOutputChoice(args);
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  const failing = validation.diagnostics.filter((d) => d.severity === 'error');
  if (validation.configBroken || failing.length > 0) {
    // Generating from the valid flags alone would drop keys that code still uses.
    emit(
      {
        command: 'codegen',
        diagnostics: validation.diagnostics,
        files: validation.files,
        sources: validation.sources,
        notes: ['Nothing was written: fix the flag files first.'],
        data: { files: [] },
      },
      choice,
      io,
    );
    return validation.configBroken ? EXIT.cannotRun : EXIT.findings;
  }
  const files = codegenFiles(validation, {
    cwd: io.cwd,
    now: nowOf(args, io),
    ...(args.values.out !== undefined ? { out: String(args.values.out) } : {}),
    ...(args.values['no-manifest'] ? { manifest: null } : args.values.manifest !== undefined ? { manifest: String(args.values.manifest) } : {}),
  });
  const check = args.values.check === true;
  const diagnostics = check ? staleDiagnostics(files) : [];
  if (!check) {
    for (const file of files.filter((f) => !f.current)) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.text);
    }
  }
  const deprecated = files[0]?.deprecated ?? 0;
  const summary = check
    ? diagnostics.length === 0
      ? `${files.map((f) => f.shown).join(' and ')} ${files.length === 1 ? 'is' : 'are'} up to date.`
      : `${diagnostics.length} generated file${diagnostics.length === 1 ? ' is' : 's are'} out of date: run flagops codegen.`
    : `${files.filter((f) => !f.current).length === 0 ? 'Up to date' : 'Wrote'}: ${files.map((f) => f.shown).join(', ')} (${validation.flags.length} flags, ${deprecated} @deprecated).`;
  emit(
    {
      command: 'codegen',
      diagnostics,
      files: files.length,
      sources: new Map(),
      notes: [summary],
      data: {
        files: files.map((f) => ({ file: f.shown, current: check ? f.current : true, written: !check && !f.current })),
        flags: validation.flags.length,
        deprecated,
      },
    },
    choice,
    io,
  );
  return exitCodeFor(diagnostics, choice.failOn);
}
