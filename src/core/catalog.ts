import type { Severity } from './diagnostic.js';
import { flagRules } from './validate/rules/index.js';
import { DUPLICATE_FLAG_KEY } from './validate/validate-flags.js';

export interface CodeInfo {
  code: string;
  severity: Severity;
  description: string;
}

const fileAndYaml: CodeInfo[] = [
  {
    code: 'flags-dir-empty',
    severity: 'warning',
    description: 'The flags folder holds no .yaml or .yml files.',
  },
  {
    code: 'file-unreadable',
    severity: 'error',
    description: 'A flag file could not be read (permissions, I/O).',
  },
  {
    code: 'file-too-large',
    severity: 'error',
    description: 'A flag file is larger than limits.maxFileBytes.',
  },
  { code: 'file-encoding', severity: 'error', description: 'A file is not valid UTF-8.' },
  { code: 'file-empty', severity: 'error', description: 'A flag file holds no YAML content.' },
  { code: 'yaml-syntax', severity: 'error', description: 'The file is not well-formed YAML.' },
  { code: 'yaml-duplicate-key', severity: 'error', description: 'A YAML mapping repeats a key.' },
  {
    code: 'yaml-alias-limit',
    severity: 'error',
    description: 'Aliases expand to too many nodes (alias bomb).',
  },
  { code: 'yaml-too-deep', severity: 'error', description: 'The YAML nests deeper than flagops reads.' },
  { code: 'config-secret', severity: 'warning', description: 'flagops.config.yaml holds a Redis URL with a password in it.' },
];

const schema: CodeInfo[] = [
  {
    code: 'unknown-field',
    severity: 'error',
    description: 'A field the format does not know (with a suggestion).',
  },
  { code: 'missing-field', severity: 'error', description: 'A required field is missing.' },
  { code: 'wrong-type', severity: 'error', description: 'A value has the wrong type.' },
  { code: 'invalid-value', severity: 'error', description: 'A value is not one the format accepts.' },
  { code: 'out-of-range', severity: 'error', description: 'A number lies outside its allowed range.' },
  {
    code: 'duplicate-entry',
    severity: 'error',
    description: 'A list that must hold unique entries repeats one.',
  },
  {
    code: 'invalid-name',
    severity: 'error',
    description: 'A variant or environment name has the wrong form.',
  },
  { code: 'reserved-name', severity: 'error', description: 'A key is __proto__, constructor or prototype.' },
];

/** Every code flagops reports, for SARIF rule metadata and the docs. */
export const codeCatalog: readonly CodeInfo[] = [
  ...fileAndYaml,
  ...schema,
  { ...DUPLICATE_FLAG_KEY, severity: 'error' },
  ...flagRules.map(({ code, severity, description }) => ({ code, severity, description })),
];

export function codeInfo(code: string): CodeInfo | undefined {
  return codeCatalog.find((c) => c.code === code);
}
