/**
 * npm run demo: the README's quick start on this repository's example flags and code. The example
 * flags were written for a story that happens on 2026-11-27, so the checks say which day they
 * look at (--now): the demo reads the same in any year, and the second step shows what happens to
 * a build once a release flag has expired. Plan and sync write the embedded file store; no Redis.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const STORY_DAY = '2026-11-27';
const AFTER_EXPIRY = '2026-12-11';

interface Step {
  title: string;
  args: string[];
  /** The exit code that means the step showed what it should. */
  expect: number;
}

const steps: Step[] = [
  {
    title: `flagops check, as of ${STORY_DAY}: every flag file, every reference in examples/ (TypeScript, Python, Go), every flag spec`,
    args: ['check', '--now', STORY_DAY],
    expect: 0,
  },
  {
    title: `the same code on ${AFTER_EXPIRY}: express-pay expired after 2026-12-10 and both the TypeScript shop and the Python payments service`
      + ' still read it, so the build fails (exit 1, expected here)',
    args: ['scan', '--now', AFTER_EXPIRY],
    expect: 1,
  },
  { title: 'flagops plan --all-envs: what a sync would change, in plain words', args: ['plan', '--all-envs'], expect: 0 },
  { title: 'flagops sync --all-envs: written to the file store .flagops/store/ (run it again: up to date)', args: ['sync', '--all-envs'], expect: 0 },
];

let failed = false;
for (const [i, step] of steps.entries()) {
  process.stdout.write(`\n── ${i + 1}. ${step.title}\n\n`);
  const run = spawnSync(process.execPath, [cli, ...step.args], { stdio: 'inherit' });
  if (run.status !== step.expect) {
    process.stderr.write(`\ndemo: step ${i + 1} (flagops ${step.args.join(' ')}) exited ${run.status ?? run.signal}, not ${step.expect}.\n`);
    failed = true;
    break;
  }
}
process.exitCode = failed ? 1 : 0;
