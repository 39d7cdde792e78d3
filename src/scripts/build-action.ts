import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GRAMMARS, installedWasm } from '../scan/parse/tree-sitter.js';

/**
 * Bundles the GitHub Action into dist/action/ (committed: a runner executes it without npm
 * install). Run after `npm run build`: the prebuilt schema validators come from dist/. With
 * --check it bundles into a temporary folder and fails when the committed bundle differs.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'flagops-action-')) : join(root, 'dist/action');
if (!check) rmSync(out, { recursive: true, force: true });

// The entry registers the validators first: the bundle has no generated/ folder to load them from.
const entry = join(mkdtempSync(join(tmpdir(), 'flagops-entry-')), 'index.mjs');
writeFileSync(
  entry,
  [
    `import { registerPrebuiltValidators } from ${JSON.stringify(join(root, 'src/core/definition/validate/ajv.ts'))};`,
    `import flag from ${JSON.stringify(join(root, 'dist/core/definition/validate/generated/flag.cjs'))};`,
    `import config from ${JSON.stringify(join(root, 'dist/core/definition/validate/generated/config.cjs'))};`,
    `import segment from ${JSON.stringify(join(root, 'dist/core/definition/validate/generated/segment.cjs'))};`,
    'registerPrebuiltValidators({ flag, config, segment });',
    `await import(${JSON.stringify(join(root, 'src/action/index.ts'))});`,
    '',
  ].join('\n'),
);

// src/scan/parse/typescript.ts loads the compiler with createRequire(), which esbuild cannot follow:
// the bundle imports it statically instead.
const typescriptShim = join(entry, '..', 'typescript.mjs');
writeFileSync(
  typescriptShim,
  `import ts from ${JSON.stringify(join(root, 'node_modules/@ts-morph/common/dist/typescript.js'))};\nexport { ts };\n`,
);

await build({
  entryPoints: { index: entry },
  plugins: [
    {
      name: 'typescript-statically',
      setup(b) {
        // flagops serve is no command of the Action: its HTTP server and metrics stay out of the bundle
        // (a runner has no node_modules to load them from).
        b.onResolve({ filter: /\/serve\/server\.js$/ }, () => ({ path: 'serve-server', namespace: 'flagops-not-in-action' }));
        b.onLoad({ filter: /.*/, namespace: 'flagops-not-in-action' }, () => ({
          contents: 'export function buildServer() { throw new Error("flagops serve is not part of the GitHub Action: run it with the flagops package."); }',
          loader: 'js',
        }));
        b.onResolve({ filter: /\/parse\/typescript\.js$/ }, (args) => (args.importer.startsWith(join(root, 'src', 'scan')) ? { path: typescriptShim } : undefined));
      },
    },
  ],
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  // Minified: the bundle holds TypeScript's parser and is committed; 15 MB readable, a third of that minified.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  // CommonJS dependencies (ioredis, TypeScript) call require() for Node's own modules and read __filename.
  banner: {
    js: [
      'import { createRequire as __flagopsRequire } from \'node:module\';',
      'import { fileURLToPath as __flagopsPath } from \'node:url\';',
      'const require = __flagopsRequire(import.meta.url);',
      'const __filename = __flagopsPath(import.meta.url);',
      'const __dirname = __filename.slice(0, __filename.lastIndexOf(\'/\'));',
    ].join(' '),
  },
});
rmSync(join(entry, '..'), { recursive: true, force: true });

// The site's overview script, which the bundle reads from beside itself (src/cli/flows/site.ts).
await build({
  entryPoints: [join(root, 'src/site/client/overview.ts')],
  outfile: join(out, 'site-overview.js'),
  bundle: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
});

// The scanner's parsers for other languages than TypeScript: tree-sitter's runtime and grammars, beside the bundle.
copyFileSync(installedWasm.runtime(), join(out, 'tree-sitter.wasm'));
for (const grammar of GRAMMARS) copyFileSync(installedWasm.grammar(grammar), join(out, `tree-sitter-${grammar}.wasm`));

if (check) {
  const committed = join(root, 'dist/action');
  const stale = readdirSync(out).filter((file) => {
    try {
      return !readFileSync(join(out, file)).equals(readFileSync(join(committed, file)));
    } catch {
      return true;
    }
  });
  rmSync(out, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`dist/action is not what the source builds (${stale.join(', ')} differ): run npm run build:action and commit dist/action.`);
    process.exit(1);
  }
  console.log('dist/action matches a fresh build.');
} else {
  console.log(`bundled the action into ${out}`);
}
