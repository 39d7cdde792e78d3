/* global document, Event, requestAnimationFrame -- inside page.evaluate(), run in the browser */
// npm run bench:site — what `flagops site` costs and how its overview behaves in a browser:
// 1. building the site for 1,000 flags with a scan of a ~1M-line code base, against the scan alone
//    (interleaved runs, medians; goal: the site adds under 20%);
// 2. the overview of 10,000 flags in headless Chromium: navigation to the table ready (goal < 1 s)
//    and a filter keystroke answered (goal < 100 ms), beside a plain page that renders every row
//    as HTML and filters by hiding rows (what a catalog without paging does).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { generateFlags } from './generate-flags.mjs';
import { generateSources } from './generate-sources.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const files = Number(process.env.BENCH_FILES ?? 5200);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const NOW = ['--now', '2026-11-27'];

function timed(args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && !(args[0] === 'scan' && result.status === 1)) throw new Error(`flagops ${args.join(' ')}: exit ${result.status}\n${result.stderr}`);
  return ms;
}

function countLines(dir) {
  const out = spawnSync('sh', ['-c', 'find src -name "*.ts*" | xargs cat | wc -l'], { cwd: dir, encoding: 'utf8' });
  return Number(out.stdout.trim());
}

// --- 1. build time against the scan alone -------------------------------------------------------
const buildDir = join(root, '.bench', 'site-build');
generateFlags(buildDir, 1000);
generateSources(buildDir, { files, flagCount: 1000 });
writeFileSync(join(buildDir, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\nscan:\n  include: ["src/**"]\n');
const lines = countLines(buildDir);
console.log(`site build: 1,000 flags, ${files} source files, ${lines.toLocaleString('en-US')} lines; ${runs} interleaved runs each`);
timed(['scan', ...NOW], buildDir); // warm the file cache
const scans = [];
const sites = [];
for (let i = 0; i < runs; i++) {
  scans.push(timed(['scan', ...NOW], buildDir));
  sites.push(timed(['site', '--out', join(buildDir, 'out'), ...NOW], buildDir));
}
const [scan, site] = [median(scans), median(sites)];
console.log(`  flagops scan                ${(scan / 1000).toFixed(2)} s`);
console.log(`  flagops site (scan + site)  ${(site / 1000).toFixed(2)} s   ${(site / scan).toFixed(2)}x the scan: the site adds ${(((site - scan) / scan) * 100).toFixed(1)}% (goal < 20%)`);

// --- 2. the overview of 10,000 flags in Chromium ---------------------------------------------------
const executablePath = process.env.FLAGOPS_CHROMIUM
  ?? ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'].map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()).find(Boolean);
if (!executablePath) {
  console.log('overview: skipped, no Chromium on PATH (apt-get install chromium, or set FLAGOPS_CHROMIUM)');
  process.exit(0);
}
const bigDir = join(root, '.bench', 'site-10000');
generateFlags(bigDir, 10_000);
writeFileSync(join(bigDir, 'flagops.config.yaml'), 'environments:\n  staging: {}\n  production: {}\nscan:\n  include: []\n');
const bigBuild = timed(['site', '--out', join(bigDir, 'out'), ...NOW], bigDir);
console.log(`\noverview: 10,000 flags (site built in ${(bigBuild / 1000).toFixed(1)} s), headless ${spawnSync(executablePath, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);

// The peer: every row rendered as HTML up front, filtered by hiding the rows that do not match.
const plainDir = join(bigDir, 'plain');
rmSync(plainDir, { recursive: true, force: true });
mkdirSync(plainDir, { recursive: true });
const rows = Array.from({ length: 10_000 }, (_, i) => `<tr><td><a href="#">flag-${i}</a><span>Generated flag number ${i}, exercising rules and serves.</span></td><td>area-${i % 50}</td><td>release</td><td>@acme/team-${i % 17}</td><td>26 d</td><td>2026-12-01 (in 4 days)</td><td>on for everyone</td><td>to some: 2 rules, everyone else ${i % 100}% on</td><td>0</td><td>unused</td></tr>`);
writeFileSync(join(plainDir, 'script.js'), `const q = document.getElementById('q'); const trs = [...document.querySelectorAll('tbody tr')]; const text = trs.map((tr) => tr.textContent.toLowerCase());
q.addEventListener('input', () => { const v = q.value.toLowerCase(); trs.forEach((tr, i) => { tr.hidden = !text[i].includes(v); }); });
document.body.dataset.ready = 'true'; performance.mark('flagops:overview-ready');\n`);
writeFileSync(join(plainDir, 'index.html'), `<!doctype html><html><head><meta charset="utf-8"><title>plain</title></head><body><input id="q"><table><tbody>${rows.join('')}</tbody></table><script src="script.js"></script></body></html>`);

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });

async function measurePage(url) {
  const loads = [];
  const keys = [];
  for (let i = 0; i < 5; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    // From navigation start to the script's mark, then to the first frame painted after it.
    loads.push(await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now()))))));
    if (i === 0) {
      // Each keystroke: the input event, the table redrawn, and the next frame (style, layout, paint).
      for (const value of ['f', 'fl', 'fla', 'flag', 'flag-', 'flag-4', 'flag-42', 'flag-424', 'flag-42', 'flag-4', 'flag', '']) {
        keys.push(await page.evaluate((v) => {
          const input = document.getElementById('q');
          const start = performance.now();
          input.value = v;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          return new Promise((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now() - start))));
        }, value));
      }
    }
    await page.close();
  }
  return { load: median(loads), keyMedian: median(keys), keyMax: Math.max(...keys) };
}

const ours = await measurePage(pathToFileURL(join(bigDir, 'out', 'index.html')).href);
const plain = await measurePage(pathToFileURL(join(plainDir, 'index.html')).href);
await browser.close();
const row = (name, m) => `  ${name.padEnd(34)} ${m.load.toFixed(0).padStart(5)} ms   ${m.keyMedian.toFixed(1).padStart(6)} ms   ${m.keyMax.toFixed(1).padStart(6)} ms`;
console.log(`  ${''.padEnd(34)} ready (median of 5)   keystroke median   keystroke max`);
console.log(row('flagops site overview', ours));
console.log(row('plain page, every row as HTML', plain));
console.log(`  ready: ${(plain.load / ours.load).toFixed(1)}x faster than the plain page (goal < 1,000 ms); keystroke: ${(plain.keyMedian / ours.keyMedian).toFixed(1)}x faster (goal < 100 ms)`);
