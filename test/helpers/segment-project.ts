/** Flag and segment files for tests of segments and prerequisites: short YAML from a few facts. */

export interface FlagSpec {
  requires?: string[];
  /** Rules of production, as YAML flow mappings (e.g. `{ segments: [beta], serve: on }`). */
  rules?: string[];
  expires?: string;
  variants?: string;
  envRequires?: Record<string, string[]>;
  /** Extra environments, as YAML lines under environments. */
  environments?: string;
}

/** A valid ops flag (no expiry needed) with the given prerequisites and production rules. */
export function flagYaml(spec: FlagSpec = {}): string {
  const lines = [
    'description: A flag for a test.',
    'owner: "@acme/web"',
    `type: ${spec.expires ? 'release' : 'ops'}`,
    'created: 2026-11-10',
    ...(spec.expires ? [`expires: ${spec.expires}`] : []),
    ...(spec.variants ? [`variants: ${spec.variants}`] : []),
    ...(spec.requires ? ['requires:', ...spec.requires.map((r) => `  - ${r}`)] : []),
    'environments:',
    '  production:',
    '    enabled: true',
    ...(spec.envRequires?.production ? ['    requires:', ...spec.envRequires.production.map((r) => `      - ${r}`)] : []),
    ...(spec.rules ? ['    rules:', ...spec.rules.map((r) => `      - ${r}`)] : []),
    '    serve: off',
    '  staging:',
    '    enabled: true',
    ...(spec.envRequires?.staging ? ['    requires:', ...spec.envRequires.staging.map((r) => `      - ${r}`)] : []),
    '    serve: on',
    ...(spec.environments ? [spec.environments] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** A segment whose conditions are the given YAML lines (default: one group). */
export function segmentYaml(lines: string[] = ['groups: [beta]'], environments?: string[]): string {
  return [
    'description: A segment for a test.',
    'owner: "@acme/growth"',
    ...(environments ? [`environments: [${environments.join(', ')}]`] : []),
    ...lines,
    '',
  ].join('\n');
}
