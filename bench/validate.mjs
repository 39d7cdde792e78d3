// npm run bench:validate — flagops validate against the floor of only parsing the same files with yaml.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateFlags } from './generate-flags.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 5);

function time(args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `flagops validate vs yaml parse floor — node ${process.version}, ${runs} runs each, median wall time`,
);
console.log('files   | parse floor | flagops validate | ratio | files/s (flagops)');
console.log('--------|-------------|------------------|-------|------------------');
for (const size of sizes) {
  const dir = `${root}.bench/validate-${size}`;
  generateFlags(dir, size);
  const floor = [];
  const flagops = [];
  for (let i = 0; i < runs; i++) {
    // Alternate so that neither side always runs on a warmer cache.
    floor.push(time([`${root}bench/parse-floor.mjs`, `${dir}/flags`], root));
    flagops.push(time([`${root}dist/cli/main.js`, 'validate'], dir));
  }
  const f = median(floor);
  const v = median(flagops);
  console.log(
    `${String(size).padEnd(7)} | ${`${f.toFixed(0)} ms`.padStart(11)} | ${`${v.toFixed(0)} ms`.padStart(16)} | ${(v / f).toFixed(2).padStart(5)} | ${Math.round((size / v) * 1000)}`,
  );
}
