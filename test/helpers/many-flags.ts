import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Its own writer (not tmp.ts, which needs vitest): the site benchmark generates with it too.
function writeFile(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const TYPES = ['release', 'experiment', 'ops', 'permission', 'kill-switch'];

/**
 * `count` valid flags with the variety a big company has: 40 owners, five types, ten areas, expiry
 * dates from two months overdue to a year ahead (releases and experiments), rollouts and rules; and
 * a source file that reads every tenth of them.
 */
export function writeManyFlags(root: string, count: number): void {
  writeFile(root, 'flagops.config.yaml', 'environments:\n  staging: {}\n  production: {}\ntypes:\n  release: { requireExpires: true, maxLifetimeDays: 500 }\n  experiment: { requireExpires: true, maxLifetimeDays: 500 }\nscan:\n  include: ["src/**"]\n');
  const reads: string[] = ['declare const flags: { isEnabled(key: string): boolean };'];
  for (let i = 0; i < count; i++) {
    const key = `flag-${i}`;
    const type = TYPES[i % TYPES.length]!;
    const expiring = type === 'release' || type === 'experiment';
    const expires = new Date(Date.UTC(2026, 8, 27) + ((i * 37) % 430) * 86_400_000).toISOString().slice(0, 10);
    const production =
      i % 4 === 0
        ? '{ enabled: false }'
        : i % 4 === 1
          ? '{ enabled: true, serve: on }'
          : i % 4 === 2
            ? `{ enabled: true, serve: { percentage: ${i % 100} } }`
            : `\n    enabled: true\n    rules: [{ name: staff, groups: [employees], serve: on }]\n    serve: { rollout: { stages: [{ at: 2026-11-20T09:00:00Z, percentage: 5 }, { at: 2027-01-10T09:00:00Z, percentage: 50 }] } }`;
    writeFile(
      root,
      `flags/area-${i % 10}/${key}.yaml`,
      `description: Generated flag ${i} for team ${i % 40}.\nowner: "@acme/team-${i % 40}"\ntype: ${type}\ncreated: 2026-09-01\n${expiring ? `expires: ${expires}\n` : ''}`
      + `environments:\n  staging: { enabled: true, serve: on }\n  production: ${production}\n`,
    );
    if (i % 10 === 0) reads.push(`flags.isEnabled('${key}');`);
  }
  writeFile(root, 'src/reads.ts', `${reads.join('\n')}\n`);
}
