import type { Severity } from '../shared/diagnostic.js';
import { flagRules } from '../definition/validate/rules/index.js';
import { REFERENCE_CHECKS } from '../definition/validate/references.js';
import { DUPLICATE_FLAG_KEY } from '../definition/validate/validate-flags.js';

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
  {
    code: 'file-not-regular',
    severity: 'error',
    description: 'A flag or spec file is a FIFO, a device, a socket or a folder: it is not read.',
  },
  {
    code: 'file-outside-project',
    severity: 'error',
    description: 'A flag or spec file is a link to a file outside the project: it is not read.',
  },
  { code: 'file-encoding', severity: 'error', description: 'A file is not valid UTF-8.' },
  { code: 'file-empty', severity: 'error', description: 'A flag file holds no YAML content.' },
  { code: 'yaml-syntax', severity: 'error', description: 'The file is not well-formed YAML.' },
  {
    code: 'more-problems',
    severity: 'error',
    description: 'A file has more than 100 problems: the first 100 are shown, this one counts the rest.',
  },
  { code: 'yaml-duplicate-key', severity: 'error', description: 'A YAML mapping repeats a key.' },
  {
    code: 'yaml-alias-limit',
    severity: 'error',
    description: 'Aliases expand to too many nodes (alias bomb).',
  },
  { code: 'yaml-too-deep', severity: 'error', description: 'The YAML nests deeper than flagops reads.' },
  { code: 'config-secret', severity: 'warning', description: 'flagops.config.yaml holds a Redis URL with a password in it.' },
  {
    code: 'environments-overlap',
    severity: 'error',
    description: 'Two environments share a Redis prefix or a file store, or one prefix lies inside another.',
  },
  { code: 'serve-unknown-environment', severity: 'error', description: 'serve.cors names an environment the configuration does not have.' },
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

const scan: CodeInfo[] = [
  { code: 'orphaned-reference', severity: 'error', description: 'Code reads a flag key that no flag file defines.' },
  {
    code: 'expired-flag-referenced',
    severity: 'error',
    description: 'Code still reads a flag whose expires date has passed (names the date and the owner).',
  },
  {
    code: 'expired-flag-unreferenced',
    severity: 'warning',
    description: 'A flag has expired and no scanned code reads it: its file can be deleted.',
  },
  { code: 'unused-flag', severity: 'warning', description: 'A flag older than scan.unusedAfterDays that no scanned code reads.' },
  {
    code: 'stale-flag',
    severity: 'warning',
    description: 'A flag has served one variant to everyone in every environment for longer than its type allows.',
  },
  { code: 'expiring-soon', severity: 'warning', description: 'A flag expires within scan.expiringWithinDays.' },
  {
    code: 'dynamic-reference',
    severity: 'info',
    description: 'A flag read whose key cannot be resolved without running the code (severity: scan.dynamicReferences).',
  },
  { code: 'source-unreadable', severity: 'warning', description: 'A source file could not be read, so its references are unknown.' },
  { code: 'source-too-large', severity: 'info', description: 'A source file larger than scan.maxFileBytes was skipped.' },
];

const specs: CodeInfo[] = [
  { code: 'spec-invalid', severity: 'error', description: 'A flag spec file is not shaped as flagops test reads it.' },
  { code: 'spec-unknown-flag', severity: 'error', description: 'A spec case names a flag that does not exist or does not validate.' },
  { code: 'spec-unknown-segment', severity: 'error', description: 'A segment spec case names a segment that does not exist or does not validate.' },
  { code: 'spec-unknown-environment', severity: 'error', description: 'A spec case names an environment the configuration does not declare.' },
  { code: 'spec-failed', severity: 'error', description: 'A spec case got another variant, value, reason or rule than it expects.' },
];

const codegen: CodeInfo[] = [
  { code: 'codegen-stale', severity: 'error', description: 'A file flagops codegen writes differs from what it makes from the flag files now.' },
  { code: 'cleanup-refused', severity: 'error', description: 'flagops cleanup leaves a flag as it is: no single value to keep, a read it cannot rewrite, or a dynamic read that may read it.' },
  { code: 'cleanup-check-failed', severity: 'error', description: 'After flagops cleanup edited the code, the type check (or cleanup.check) failed: every file was put back.' },
];

const risks: CodeInfo[] = [
  { code: 'risk-full-rollout', severity: 'warning', description: 'flagops diff: an environment goes to 100% in one step.' },
  { code: 'risk-kill-switch-off', severity: 'warning', description: 'flagops diff: a kill switch is turned off.' },
  { code: 'risk-removed-but-referenced', severity: 'warning', description: 'flagops diff: a removed flag that code still reads (reported at each read).' },
  { code: 'risk-owner-changed', severity: 'warning', description: 'flagops diff: the owner changes.' },
  { code: 'risk-expiry-extended', severity: 'warning', description: 'flagops diff: the expiry is pushed out (or removed).' },
  { code: 'risk-rebucketed', severity: 'warning', description: 'flagops diff: the salt changed, so users are bucketed anew.' },
  { code: 'risk-blast-radius', severity: 'warning', description: 'flagops diff: at least diff.blastRadiusThreshold % of users get another variant in one environment.' },
];

/** Every code flagops reports, for SARIF rule metadata and the docs. */
export const codeCatalog: readonly CodeInfo[] = [
  ...fileAndYaml,
  ...schema,
  ...scan,
  ...specs,
  ...codegen,
  ...risks,
  { ...DUPLICATE_FLAG_KEY, severity: 'error' },
  { code: 'duplicate-segment-key', severity: 'error', description: 'Segment keys are unique across all segment files, ignoring case.' },
  ...Object.entries(REFERENCE_CHECKS).map(([code, info]) => ({ code, ...info })),
  ...flagRules.map(({ code, severity, description }) => ({ code, severity, description })),
];

export function codeInfo(code: string): CodeInfo | undefined {
  return codeCatalog.find((c) => c.code === code);
}
