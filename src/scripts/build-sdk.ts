import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Builds the runtime SDK package (packages/sdk, published as @flagops/sdk) from the same sources:
 * the client and the OpenFeature provider, as ES modules and CommonJS, with their declarations.
 * Nothing of the toolchain comes along (a test holds the bundle to ioredis and the SDK's own code).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = join(root, 'packages/sdk');
const out = join(pkg, 'dist');
const name = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { name: string }).name;
rmSync(out, { recursive: true, force: true });

// The provider reaches the client through the package's own name: one FlagClient class, whether
// the application imports the package root, the subpath, or both.
const selfReference: Plugin = {
  name: 'sdk-self-reference',
  setup(b) {
    b.onResolve({ filter: /\/sdk\/client\.js$/ }, (args) => (args.importer.includes('/openfeature/') ? { path: name, external: true } : undefined));
  },
};

for (const [format, extension] of [
  ['esm', '.js'],
  ['cjs', '.cjs'],
] as const) {
  await build({
    entryPoints: { index: join(root, 'src/sdk/index.ts'), openfeature: join(root, 'src/openfeature/index.ts') },
    outdir: out,
    outExtension: { '.js': extension },
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    external: ['ioredis', '@openfeature/server-sdk'],
    plugins: [selfReference],
    legalComments: 'none',
    logLevel: 'warning',
  });
}

// Declarations as tsc writes them, once for `import` (the package is an ES module package) and
// once under a commonjs package.json for `require`, so TypeScript reads each in its own mode.
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.sdk.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync(join(out, 'types'), join(out, 'types-cjs'), { recursive: true });
writeFileSync(join(out, 'types-cjs/package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
mkdirSync(out, { recursive: true });
cpSync(join(root, 'LICENSE'), join(pkg, 'LICENSE'));
console.log(`built ${name} into ${out}`);
