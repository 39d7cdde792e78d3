import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** vitest globalSetup: the CLI tests spawn the built binary, so build it once before any test runs. */
export default function build() {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // The same three steps as `npm run build`, without npm's own start-up.
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [`${root}dist/scripts/build-validators.js`], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [`${root}dist/scripts/build-cli.js`], { cwd: root, stdio: 'inherit' });
  // The action tests run the bundle as a runner does; .ci/run checks the committed one is fresh first.
  execFileSync(process.execPath, [`${root}dist/scripts/build-action.js`], { cwd: root, stdio: 'ignore' });
}
