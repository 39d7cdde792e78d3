// npm run bench:cleanup — flagops cleanup removing one flag with 200 references spread over a
// generated code base of about 1M lines, against flagops scan of the same code base, in one run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFlags } from './generate-flags.mjs';
import { generateSources } from './generate-sources.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const files = Number(process.env.BENCH_FILES ?? 5200);
const readers = 100;
const dir = join(root, '.bench', 'cleanup-generated');

generateFlags(dir, 500);
const { lines } = generateSources(dir, { files, flagCount: 500 });
writeFileSync(join(dir, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\nscan:\n  include: ["src/**"]\n');
writeFileSync(
  join(dir, 'flags', 'retire-me.yaml'),
  'description: On for everyone; ready to come out.\nowner: "@acme/bench"\ntype: release\ncreated: 2026-11-01\nexpires: 2026-12-01\nenvironments:\n  staging: { enabled: true, serve: on }\n  production: { enabled: true, serve: on }\n',
);
const keys = join(dir, 'src', 'shared', 'keys.ts');
writeFileSync(keys, readFileSync(keys, 'utf8').replace('export const FLAGS = {\n', 'export const FLAGS = {\n  RETIRE_ME: \'retire-me\',\n'));

// 200 references: two in each of 100 services, one through a literal and one through the key object and the wrapper.
const services = [];
for (const module of readdirSync(join(dir, 'src')).filter((m) => m.startsWith('module-'))) {
  for (const file of readdirSync(join(dir, 'src', module))) if (file.startsWith('service-')) services.push(join(dir, 'src', module, file));
}
const step = Math.floor(services.length / readers);
const originals = new Map();
for (let i = 0; i < readers; i++) {
  const path = services[i * step];
  const text = readFileSync(path, 'utf8').replace(
    '    return variant === ',
    '    if (!client.isEnabled(\'retire-me\', { userId: this.userId })) return rows;\n    const wide = isFeatureOn(FLAGS.RETIRE_ME, this.userId) ? rows.length : 0;\n    console.log(wide);\n    return variant === ',
  );
  writeFileSync(path, text);
  originals.set(path, text);
}
originals.set(keys, readFileSync(keys, 'utf8'));
const flagFile = join(dir, 'flags', 'retire-me.yaml');
originals.set(flagFile, readFileSync(flagFile, 'utf8'));
const restore = () => {
  for (const [path, text] of originals) writeFileSync(path, text);
};

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, FLAGOPS_NOW: '2026-12-10' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, result };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Generated ${services.length + Math.floor(files / 10)} files, ${lines.toLocaleString('en-US')} lines; "retire-me" read 2x in each of ${readers} files.`);
const scans = [];
const cleanups = [];
let last;
for (let run = 0; run < runs; run++) {
  scans.push(time(['scan', '--format', 'json']).ms);
  restore();
  const cleanup = time(['cleanup', 'retire-me', '--no-check', '--format', 'json']);
  if (cleanup.result.status !== 0) throw new Error(`cleanup failed (${cleanup.result.status}):\n${cleanup.result.stdout.slice(0, 3000)}${cleanup.result.stderr.slice(0, 3000)}`);
  cleanups.push(cleanup.ms);
  last = JSON.parse(cleanup.result.stdout);
}
const replaced = last.edits.filter((e) => e.action === 'replace-read').length;
const touched = last.files.filter((f) => f.role === 'code').length;
if (replaced !== readers * 2) throw new Error(`expected ${readers * 2} reads replaced, got ${replaced}`);
const scan = median(scans);
const cleanup = median(cleanups);
console.log(`flagops scan      ${(scan / 1000).toFixed(2)} s   (runs: ${scans.map((m) => (m / 1000).toFixed(2)).join(', ')})`);
console.log(`flagops cleanup   ${(cleanup / 1000).toFixed(2)} s   (runs: ${cleanups.map((m) => (m / 1000).toFixed(2)).join(', ')}; ${replaced} reads in ${touched} files)`);
console.log(`cleanup / scan    ${(cleanup / scan).toFixed(2)}x   (goal: within 2x)`);
restore();
