import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GRAMMARS, installedWasm } from '../scan/parse/tree-sitter.js';

/**
 * Bundles the CLI's own modules into dist/cli/main.js and chunks beside it (run after tsc, as
 * `npm run build` does). Node 20 resolves and links each of the ~190 ES modules tsc writes
 * separately, a tenth of a second on every command; one file per lazily loaded part costs a few
 * milliseconds. Packages stay outside the bundle (npm installs them beside it), and so does every
 * module the CLI loads by path: the scan worker, the prebuilt validators, the site's script.
 * Code splitting keeps the lazy parts lazy (TypeScript's parser, the server, the store clients).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/cli');
const staging = join(root, 'dist/.cli-bundle');
rmSync(staging, { recursive: true, force: true });

await build({
  // tsc writes the entry as entry.js; the bundle is main.js, the package's bin.
  entryPoints: { main: join(cli, 'entry.js') },
  outdir: staging,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies inside (none of ours, but a bundled helper may call require) read these.
  banner: { js: 'import { createRequire as __flagopsRequire } from \'node:module\'; const require = __flagopsRequire(import.meta.url);' },
});

// The chunks of an earlier bundle go; tsc's modules in dist/cli stay (the package's API and tests import them).
for (const file of readdirSync(cli)) if (/^chunk-[A-Z0-9]+\.js$/.test(file)) rmSync(join(cli, file));
for (const file of readdirSync(staging)) renameSync(join(staging, file), join(cli, file));
rmSync(staging, { recursive: true, force: true });

// The grammars the scanner parses other languages with: only those it uses, not the 36 of tree-sitter-wasms.
const grammars = join(root, 'dist/grammars');
rmSync(grammars, { recursive: true, force: true });
mkdirSync(grammars, { recursive: true });
for (const grammar of GRAMMARS) copyFileSync(installedWasm.grammar(grammar), join(grammars, `tree-sitter-${grammar}.wasm`));
writeFileSync(
  join(grammars, 'README.md'),
  `Tree-sitter grammars compiled to WebAssembly, copied from the npm package tree-sitter-wasms
(https://github.com/Gregoor/tree-sitter-wasms, Unlicense), built from the grammars of the
tree-sitter organisation (https://github.com/tree-sitter, MIT): ${GRAMMARS.join(', ')}.
`,
);
