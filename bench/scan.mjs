// npm run bench:scan — flagops scan against a text floor (grep) and a parse floor (a bare
// parse and walk with the same parsers), on a generated TypeScript code base, on real code from
// node_modules, and on a generated code base of every language the scanner reads (1M lines);
// then TypeScript alone against the scanner before it read other languages (an A/B in one run).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFlags } from './generate-flags.mjs';
import { generateSources } from './generate-sources.mjs';
import { generatePolyglot } from './generate-polyglot.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const files = Number(process.env.BENCH_FILES ?? 5200);
const flagCount = 500;
const withTsMorph = process.env.BENCH_TS_MORPH !== '0';
const mixedLines = Number(process.env.BENCH_MIXED_LINES ?? 1_000_000);
// The last commit whose scanner read TypeScript and JavaScript only.
const baselineRef = process.env.BENCH_BASELINE ?? '63f2d96';
// The generated flags were written for a day in November 2026: scans look at that day, as the demo
// does, so that the calendar moving on does not turn them expired and the runs into reports of that.
const NOW = ['--now', '2026-11-15'];
const SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs|py|go|java|kt|kts|cs|rb|rake|php)$/;

/** Runs a command under GNU time: wall milliseconds and peak resident memory in MiB. */
function measure(command, args, cwd, env = {}) {
  const stats = join(root, '.bench', 'time.txt');
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', '-o', stats, command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // grep exits 1 when nothing matched; a scan exits 1 on findings (the generated flags expire as the calendar moves).
  if (result.status !== 0 && !(result.status === 1 && (command === 'grep' || args.includes('scan')))) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout.slice(0, 2000)}${result.stderr.slice(0, 2000)}`);
  }
  const kib = Number(readFileSync(stats, 'utf8').trim().split('\n').at(-1));
  return { ms, mib: kib / 1024, stdout: result.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function countLines(dir) {
  let lines = 0;
  let count = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (SOURCE.test(e.name)) {
        count++;
        lines += readFileSync(p, 'utf8').split('\n').length;
      }
    }
  };
  walk(dir);
  return { files: count, lines };
}

function generatedCorpus() {
  const dir = join(root, '.bench', 'scan-generated');
  generateFlags(dir, flagCount);
  const { references } = generateSources(dir, { files, flagCount });
  writeFileSync(join(dir, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\nscan:\n  include: ["src/**"]\n');
  return { name: 'generated', dir, expected: references };
}

/** TypeScript that npm packages ship: declaration files and sources no one here wrote. */
function realCorpus() {
  const dir = join(root, '.bench', 'scan-real');
  generateFlags(dir, flagCount);
  writeFileSync(join(dir, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\nscan:\n  include: ["src/**"]\n');
  const sources = ['@types/node', 'typescript/lib', 'ajv/lib', 'ajv-formats/src', '@ts-morph/common/lib', 'ioredis/built', 'yaml/dist', 'vitest/dist', '@vitest', 'fast-check/lib/types', 'eslint/lib', 'typescript-eslint/dist'];
  for (const source of sources) {
    const from = join(root, 'node_modules', source);
    if (!existsSync(from)) continue;
    // Folder names the scanner always skips (dist, build) are renamed: here they are the code to scan.
    const copy = (src, dest) => {
      for (const e of readdirSync(src, { withFileTypes: true })) {
        const s = join(src, e.name);
        const safe = ['dist', 'build', 'out', 'node_modules'].includes(e.name) ? `${e.name}_` : e.name;
        if (e.isDirectory()) copy(s, join(dest, safe));
        else if (/\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) && statSync(s).size < 2 * 1024 * 1024) {
          mkdirSync(dest, { recursive: true });
          cpSync(s, join(dest, safe));
        }
      }
    };
    copy(from, join(dir, 'src', source.replace(/[/@]/g, '_')));
  }
  return { name: 'real (node_modules)', dir, expected: undefined };
}

/** TypeScript, Python, Go, Java, Kotlin, C#, Ruby and PHP, an eighth of the lines each. */
function mixedCorpus() {
  const dir = join(root, '.bench', 'scan-mixed');
  generateFlags(dir, flagCount);
  // About 214 lines per TypeScript module.
  const share = mixedLines / 8;
  const ts = generateSources(dir, { files: Math.round(share / 214), flagCount });
  // About 130 lines per service file of the other seven languages, besides a flags module of 500.
  const others = generatePolyglot(dir, { filesPerLanguage: Math.round((share - flagCount) / 130), flagCount });
  writeFileSync(join(dir, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\nscan:\n  include: ["src/**"]\n');
  return { name: 'mixed languages', dir, expected: ts.references + others.references, mixed: true };
}

rmSync(join(root, '.bench', 'scan-real'), { recursive: true, force: true });
rmSync(join(root, '.bench', 'scan-generated'), { recursive: true, force: true });
rmSync(join(root, '.bench', 'scan-mixed'), { recursive: true, force: true });
mkdirSync(join(root, '.bench'), { recursive: true });
const corpora = [generatedCorpus(), realCorpus(), ...(mixedLines > 0 ? [mixedCorpus()] : [])];
console.log(`flagops scan — node ${process.version}, ${runs} runs each (median), peak RSS from GNU time\n`);

for (const corpus of corpora) {
  const { files: n, lines } = countLines(join(corpus.dir, 'src'));
  const keys = join(corpus.dir, 'keys.txt');
  writeFileSync(keys, Array.from({ length: flagCount }, (_, i) => `flag-${i}`).join('\n'));
  const cli = join(root, 'dist', 'cli', 'main.js');
  const extensions = corpus.mixed ? ['ts', 'tsx', 'py', 'go', 'java', 'kt', 'cs', 'rb', 'php'] : ['ts', 'tsx', 'mts', 'cts'];
  const contenders = [
    ['grep -rwE (text floor)', 'grep', ['-rwEc', '-f', keys, ...extensions.map((e) => `--include=*.${e}`), 'src']],
    corpus.mixed
      ? ['TypeScript + tree-sitter parse + walk (parse floor)', process.execPath, [join(root, 'bench', 'scan-mixed-parse-floor.mjs'), 'src']]
      : ['TypeScript parse + walk (parse floor)', process.execPath, [join(root, 'bench', 'scan-parse-floor.mjs'), 'src']],
    ['flagops scan, one thread', process.execPath, [cli, 'scan', '--format', 'json', ...NOW], { FLAGOPS_SCAN_WORKERS: '0' }],
    ['flagops scan, automatic threads', process.execPath, [cli, 'scan', '--format', 'json', ...NOW]],
  ];
  // The same two while another job keeps one core busy: the automatic choice must not lose.
  const busy = [
    ['one thread, one core busy', process.execPath, [cli, 'scan', '--format', 'json', ...NOW], { FLAGOPS_SCAN_WORKERS: '0' }, true],
    ['automatic threads, one core busy', process.execPath, [cli, 'scan', '--format', 'json', ...NOW], {}, true],
  ];
  const results = [];
  let scanOutput;
  // Runs are interleaved (every contender once, then again): on a shared machine the background
  // load drifts, and ratios of runs made minutes apart would measure the drift.
  const all = corpus.mixed ? contenders : [...contenders, ...busy];
  const times = all.map(() => []);
  const mems = all.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [c, [label, command, args, env = {}, withHog = false]] of all.entries()) {
      const hog = withHog ? spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }) : undefined;
      try {
        const r = measure(command, args, corpus.dir, env);
        times[c].push(r.ms);
        mems[c].push(r.mib);
        if (label.startsWith('flagops scan')) scanOutput = r.stdout;
      } finally {
        hog?.kill();
      }
    }
  }
  for (const [c, [label]] of all.entries()) results.push({ label, ms: median(times[c]), mib: Math.max(...mems[c]) });
  if (withTsMorph && !corpus.mixed) {
    const r = measure(process.execPath, [join(root, 'bench', 'scan-ts-morph.mjs'), 'src'], corpus.dir);
    results.push({ label: 'ts-morph Project, wrapped nodes (1 run)', ms: r.ms, mib: r.mib });
  }
  const grepLines = results.length && measure('grep', contenders[0][2], corpus.dir).stdout.split('\n').reduce((sum, line) => sum + (Number(line.split(':').at(-1)) || 0), 0);
  const parsed = JSON.parse(scanOutput);
  const found = parsed.references.filter((r) => r.flag !== null && r.defined !== false).length;
  const floor = results.find((r) => r.label.includes('parse floor')).ms;
  const ratio = (a, b) => (results.find((r) => r.label === a).ms / results.find((r) => r.label === b).ms).toFixed(2);
  console.log(`${corpus.name}: ${n.toLocaleString('en-US')} files, ${lines.toLocaleString('en-US')} lines (${relative(root, corpus.dir)})`);
  const width = Math.max(42, ...results.map((r) => r.label.length));
  console.log(`${'contender'.padEnd(width)} |    wall |   lines/s | peak RSS | vs parse floor`);
  console.log(`${'-'.repeat(width + 1)}|---------|-----------|----------|---------------`);
  for (const r of results) {
    console.log(
      `${r.label.padEnd(width)} | ${`${(r.ms / 1000).toFixed(2)} s`.padStart(7)} | ${Math.round((lines / r.ms) * 1000).toLocaleString('en-US').padStart(9)} | ${`${Math.round(r.mib)} MiB`.padStart(8)} | ${(r.ms / floor).toFixed(2)}x`,
    );
  }
  if (corpus.mixed) {
    const peak = Math.max(...results.filter((r) => r.label.startsWith('flagops')).map((r) => r.mib));
    console.log(`automatic / one thread: ${ratio('flagops scan, automatic threads', 'flagops scan, one thread')}; peak RSS of flagops ${Math.round(peak)} MiB (goal: under 1,536 MiB${peak < 1536 ? ': met' : ': MISSED'})`);
    console.log(`one thread / parse floor: ${ratio('flagops scan, one thread', 'TypeScript + tree-sitter parse + walk (parse floor)')} (goal: within 1.5x)`);
  } else {
    console.log(`automatic / one thread: ${ratio('flagops scan, automatic threads', 'flagops scan, one thread')} idle, ${ratio('automatic threads, one core busy', 'one thread, one core busy')} with one core busy`);
  }
  const dynamic = parsed.references.filter((r) => r.flag === null).length;
  const expected = corpus.expected === undefined ? '' : ` (generator wrote ${corpus.expected.toLocaleString('en-US')}${found === corpus.expected ? ': all found' : ': MISMATCH'})`;
  console.log(`flagops found ${found.toLocaleString('en-US')} references${expected}, ${dynamic} dynamic, ${parsed.diagnostics.length} diagnostics`);
  console.log(`grep matched ${grepLines.toLocaleString('en-US')} lines: mentions in comments and strings, key definitions, and not the keys held in constants\n`);
  if (corpus.expected !== undefined && found !== corpus.expected) process.exitCode = 1;
}

// TypeScript alone, today against the scanner before other languages (BENCH_BASELINE, a commit):
// built from a git worktree beside this checkout, both run in turn on the generated TypeScript corpus.
if (baselineRef !== 'none') {
  const worktree = join(root, '.bench', 'baseline');
  rmSync(worktree, { recursive: true, force: true });
  spawnSync('git', ['worktree', 'prune'], { cwd: root });
  const added = spawnSync('git', ['worktree', 'add', '--detach', '--force', worktree, baselineRef], { cwd: root, encoding: 'utf8' });
  if (added.status !== 0) console.log(`A/B skipped: git worktree add ${baselineRef} failed (${added.stderr.trim()}); set BENCH_BASELINE to a commit of this repository, or none.`);
  else {
    try {
      symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'), 'dir');
      const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: worktree, encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`building ${baselineRef} failed:\n${build.stdout}${build.stderr}`);
      const dir = join(root, '.bench', 'scan-generated');
      const contenders = [
        [`before (${baselineRef}), one thread`, join(worktree, 'dist', 'cli', 'main.js')],
        ['today, one thread', join(root, 'dist', 'cli', 'main.js')],
      ];
      const times = contenders.map(() => []);
      for (let i = 0; i < Math.max(runs, 5); i++) {
        for (const [c, [, cli]] of contenders.entries()) times[c].push(measure(process.execPath, [cli, 'scan', '--format', 'json', ...NOW], dir, { FLAGOPS_SCAN_WORKERS: '0' }).ms);
      }
      const [before, today] = times.map(median);
      console.log(`TypeScript only (${countLines(join(dir, 'src')).files.toLocaleString('en-US')} files), A/B interleaved, median of ${times[0].length}:`);
      console.log(`  ${contenders[0][0]}: ${(before / 1000).toFixed(2)} s; ${contenders[1][0]}: ${(today / 1000).toFixed(2)} s; today / before ${(today / before).toFixed(2)}x (goal: no slower)\n`);
    } finally {
      spawnSync('git', ['worktree', 'remove', '--force', worktree], { cwd: root });
    }
  }
}

// Start-up: a project with one source file, the scan a pre-commit hook or an editor runs.
{
  const dir = join(root, '.bench', 'scan-one-file');
  rmSync(dir, { recursive: true, force: true });
  generateFlags(dir, 20);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'app.ts'), 'import { isEnabled } from \'@flagops/sdk\';\nexport const on = isEnabled(\'flag-1\');\n');
  writeFileSync(join(dir, 'flagops.config.yaml'), 'environments:\n  production: {}\nscan:\n  unusedAfterDays: 100000\n');
  const cli = join(root, 'dist', 'cli', 'main.js');
  const scan = median(Array.from({ length: Math.max(runs, 5) }, () => measure(process.execPath, [cli, 'scan'], dir).ms));
  const bare = median(Array.from({ length: Math.max(runs, 5) }, () => measure(process.execPath, ['-e', ''], dir).ms));
  console.log(`one-file scan: ${(scan / 1000).toFixed(2)} s wall (node itself starts in ${(bare / 1000).toFixed(2)} s)`);
}
