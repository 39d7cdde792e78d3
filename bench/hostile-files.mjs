// npm run bench:hostile — one flag file just under the 1 MiB limit, in each shape that used to make
// validation slow (quadratic), validated as text and as JSON, against the floor of only parsing it
// with yaml. The goal: every shape under 2 s.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const LIMIT = 1024 * 1024 - 1024;
const head = 'description: d\nowner: "@a/b"\ntype: ops\ncreated: 2026-11-10\n';

/** Lines from `line(i)` until the file would pass the limit. */
function fill(prefix, line, suffix = '') {
  const parts = [prefix];
  let size = prefix.length + suffix.length;
  for (let i = 0; ; i++) {
    const next = line(i);
    if (size + next.length > LIMIT) break;
    parts.push(next);
    size += next.length;
  }
  parts.push(suffix);
  return parts.join('');
}

const shapes = {
  'unknown fields (one per line)': () => fill(`${head}environments: { production: { enabled: true, serve: on } }\n`, (i) => `k${i}: 1\n`),
  'duplicate keys': () => fill(`${head}environments: { production: { enabled: true, serve: on } }\n`, () => 'tags: [a]\n'),
  'unknown fields on one line (flow)': () => fill(`${head}environments: { production: { enabled: true, serve: on } }\nx: {`, (i) => `a${i}: 1, `, 'z: 1}\n'),
  'undeclared environments': () => fill(`${head}environments:\n`, (i) => `  e${i}: { enabled: false }\n`),
  'rules with bad conditions': () =>
    fill(`${head}environments:\n  production:\n    enabled: true\n    serve: on\n    rules:\n`, (i) => `      - { name: r${i}, when: [{ attribute: v, op: semver_gt, value: "x${i}" }], serve: on }\n`),
  'variants of mixed types': () => fill(`${head}environments: { production: { enabled: true, serve: v0 } }\noffVariant: v1\nvariants:\n`, (i) => `  v${i}: ${i % 2 ? '"s"' : '1'}\n`),
  'a long description': () => `${head}environments: { production: { enabled: true, serve: on } }\ndescription2: "${'x'.repeat(LIMIT - 200)}"\n`,
};

function time(args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status === null) throw new Error(`${args.join(' ')} did not finish`);
  return ms;
}

const dir = `${root}.bench/hostile`;
console.log(`flagops validate on one hostile flag file of ~1 MiB — node ${process.version}, best of 3`);
console.log('shape                              | yaml parse | validate (text) | validate (json) | ratio');
console.log('-----------------------------------|------------|-----------------|-----------------|------');
let worst = 0;
for (const [name, make] of Object.entries(shapes)) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}/flags`, { recursive: true });
  writeFileSync(`${dir}/flags/hostile.yaml`, make());
  const best = (args) => Math.min(...[0, 1, 2].map(() => time(args, dir)));
  const floor = best([`${root}bench/parse-floor.mjs`, `${dir}/flags`, '--no-unique-keys']);
  const text = best([`${root}dist/cli/main.js`, 'validate']);
  const json = best([`${root}dist/cli/main.js`, 'validate', '--format', 'json']);
  worst = Math.max(worst, text, json);
  console.log(
    `${name.padEnd(34)} | ${`${floor.toFixed(0)} ms`.padStart(10)} | ${`${text.toFixed(0)} ms`.padStart(15)} | ${`${json.toFixed(0)} ms`.padStart(15)} | ${(Math.max(text, json) / floor).toFixed(1).padStart(5)}`,
  );
}
rmSync(dir, { recursive: true, force: true });
console.log(`\nslowest: ${worst.toFixed(0)} ms (goal: under 2,000 ms)`);
