import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `count` valid, varied flag files (rules, percentages, splits, stages) under `root/flags/`. */
export function generateFlags(root, count) {
  rmSync(root, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const area = `area-${i % 50}`;
    mkdirSync(join(root, 'flags', area), { recursive: true });
    writeFileSync(join(root, 'flags', area, `flag-${i}.yaml`), flagText(i));
  }
  writeFileSync(join(root, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\n');
}

function flagText(i) {
  const head = `# yaml-language-server: $schema=../../schema/flag.schema.json
description: Generated flag number ${i}, exercising rules and serves.
owner: "@acme/team-${i % 17}"
type: ${['release', 'experiment', 'ops', 'permission', 'kill-switch'][i % 5]}
created: 2026-11-01
${i % 5 < 2 ? 'expires: 2026-12-01\n' : ''}tags: [generated, batch-${i % 9}]
`;
  if (i % 5 === 1) {
    return `${head}variants: { control: a, b: b, c: c }
offVariant: control
environments:
  staging: { enabled: true, serve: b }
  production:
    enabled: true
    rules:
      - name: internal
        groups: [employees, contractors]
        serve: b
    serve:
      split: { control: 50, b: 25, c: 25 }
`;
  }
  return `${head}environments:
  staging:
    enabled: true
    serve: on
  production:
    enabled: ${i % 7 !== 0}
    rules:
      - name: testers
        users: [u-${i}, u-${i + 1}, u-${i + 2}]
        serve: on
      - name: enterprise
        when:
          - { attribute: plan, op: in, values: [enterprise, business] }
          - { attribute: appVersion, op: semver_gte, value: 2.${i % 10}.0 }
        serve: on
    serve:
${
  i % 3 === 0
    ? `      rollout:
        stages:
          - { at: 2026-11-20T09:00:00Z, percentage: 1 }
          - { at: 2026-11-24T09:00:00Z, percentage: 25.5 }
          - { at: 2026-12-01T09:00:00Z, percentage: 100 }
`
    : `      percentage: ${i % 100}
`
}`;
}
