import type { Command } from '../command.js';
import { codegen } from '../flows/codegen.js';
import { outputOptions, outputOptionsHelp } from '../output.js';

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
