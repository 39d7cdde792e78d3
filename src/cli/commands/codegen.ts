import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { codegenFiles, staleDiagnostics } from '../codegen-run.js';
import type { Command, ParsedArgs } from '../command.js';
import { EXIT, type Io } from '../io.js';
import { nowOf } from '../now.js';
import { emit, exitCodeFor, outputOptions, outputOptionsHelp, parseOutputChoice } from '../output.js';
import { runValidation } from '../validation.js';

async function codegen(args: ParsedArgs, io: Io): Promise<number> {
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

export const codegenCommand: Command = {
  name: 'codegen',
  summary: 'Write typed flag keys for TypeScript and an OpenFeature flag manifest',
  positionals: false,
  options: {
    ...outputOptions,
    out: { type: 'string' },
    manifest: { type: 'string' },
    'no-manifest': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    now: { type: 'string' },
  },
  help: `Usage: flagops codegen [options]

Writes a TypeScript module from the flag files: a FlagKey union, each flag's variant and
value types, a Flags object of keys with each flag's description, owner and last day
(@deprecated from codegen.deprecateBeforeDays before it), and typed views of the flagops
and OpenFeature clients, so a misspelt key is a compile error. Also writes an OpenFeature
CLI flag manifest (flags.json) for its generators in other languages.

Options:
      --out <file>         the TypeScript module (default: codegen.out, src/flags.gen.ts)
      --manifest <file>    the manifest (default: codegen.manifest, flags.json)
      --no-manifest        write no manifest
      --check              write nothing; exit 1 when a file differs from what it would be
      --now <date>         the day @deprecated is computed for (default: today, UTC)
${outputOptionsHelp}
  -h, --help               show this help

Exit codes:
  0  written, or up to date
  1  --check found a stale file, or a flag file has errors (nothing is written)
  2  flagops could not run: bad arguments, a broken configuration

Examples:
  flagops codegen
  flagops codegen --check          # in CI; flagops check does it too with a codegen section
`,
  run: codegen,
};
