/**
 * Both packages as a user gets them: packed into tarballs, installed into a scratch project (not
 * linked from this folder), then used there as the docs say: init, new, check, plan, sync to the
 * file store, and a service that imports the SDK, type-checked under nodenext and bundler module
 * resolution and run as an ES module and as CommonJS. Also their installed sizes, and a dry-run
 * publish. Slow (it installs packages): npm run test:stress runs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
let tarballs: { toolchain: string; sdk: string };

function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const npmInstall = (cwd: string, ...specs: string[]) => sh('npm', ['install', '--prefer-offline', '--no-package-lock', ...specs], cwd);

/** Every installed package's name and the Node versions its package.json says it runs on. */
function installedEngines(folder: string): Array<[name: string, range: string]> {
  const out: Array<[string, string]> = [];
  const visit = (modules: string) => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const dirs = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((name) => join(modules, entry, name)) : [join(modules, entry)];
      for (const dir of dirs) {
        const manifest = join(dir, 'package.json');
        if (!existsSync(manifest)) continue;
        const { name, engines } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; engines?: { node?: string } };
        if (engines?.node) out.push([name, engines.node]);
        visit(join(dir, 'node_modules'));
      }
    }
  };
  visit(join(folder, 'node_modules'));
  return out;
}

/** The MiB the install page gives for a package, as written there. */
function documentedMiB(name: string): number {
  const row = readFileSync(join(repoRoot, 'docs/install.md'), 'utf8').split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  return Number(/(\d+(?:\.\d+)?) MiB/.exec(row ?? '')?.[1]);
}

/** Bytes under node_modules: the package with everything it brought. */
function installedBytes(folder: string): number {
  return Number(execFileSync('du', ['-sb', join(folder, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
}

beforeAll(() => {
  // dist/ is built by the global setup; the SDK package is built from the same sources here.
  sh(process.execPath, [join(repoRoot, 'dist/scripts/build-sdk.js')], repoRoot);
  const out = tmpProject();
  const pack = (dir: string) => JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], dir))[0] as { filename: string; files: Array<{ path: string }> };
  const toolchain = pack(repoRoot);
  const sdk = pack(join(repoRoot, 'packages/sdk'));
  for (const files of [toolchain.files, sdk.files]) {
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    // No source maps pointing at sources that are not shipped, no tests, no sources.
    expect(paths.filter((p) => p.endsWith('.map') || p.startsWith('src/') || p.startsWith('test/'))).toEqual([]);
  }
  expect(toolchain.files.map((f) => f.path)).toContain('dist/cli/main.js');
  tarballs = { toolchain: join(out, toolchain.filename), sdk: join(out, sdk.filename) };
}, 120_000);

describe('the packed packages, installed in a project that is not this one', () => {
  it('set the project up and sync it with the toolchain, and serve its flags through the SDK, ES module and CommonJS', { timeout: 300_000 }, () => {
    const app = tmpProject({ 'package.json': '{ "name": "shop", "version": "1.0.0", "private": true }\n' });
    sh('git', ['init', '-q', '-b', 'main'], app);
    sh('git', ['config', 'user.email', 'dev@shop.example'], app);
    sh('git', ['config', 'user.name', 'Dev'], app);
    npmInstall(app, '-D', tarballs.toolchain);
    npmInstall(app, tarballs.sdk, '@openfeature/server-sdk@^1.23.0', '@types/node@^20');
    const npx = (...args: string[]) => sh('npx', ['--no-install', 'flagops', ...args], app, { FLAGOPS_NOW: '2026-11-27' });

    expect(npx('init', '--yes', '--env', 'staging,production')).toContain('Created flagops.config.yaml (environments: staging, production)');
    expect(npx('new', 'checkout/newCheckout', '--description', 'One-page checkout', '--owner', '@shop/payments')).toContain('Created flags/checkout/newCheckout.yaml');
    // The editor association points into the installed package.
    expect(readFileSync(join(app, 'flags/checkout/newCheckout.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/node_modules\/flagops\/schema\/flag\.schema\.json\n/);
    const flag = join(app, 'flags/checkout/newCheckout.yaml');
    writeFileSync(flag, readFileSync(flag, 'utf8').replace('production:\n    enabled: false', 'production:\n    enabled: true\n    serve: on'));
    mkdirSync(join(app, 'src'));
    writeFileSync(
      join(app, 'src/service.mts'),
      [
        'import { createFlagClient, type EvaluationResult } from \'@flagops/sdk\';',
        'import { FlagopsProvider } from \'@flagops/sdk/openfeature\';',
        '',
        'const flags = createFlagClient({ file: \'.flagops/store/production.json\' });',
        'await flags.ready();',
        'const detail: EvaluationResult<boolean> = flags.evaluate(\'newCheckout\', { userId: \'u-1\' }, false);',
        'const provider = new FlagopsProvider(flags);',
        'console.log(JSON.stringify({ on: flags.isEnabled(\'newCheckout\', { userId: \'u-1\' }), reason: detail.reason, provider: provider.metadata.name }));',
        'await flags.close();',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'src/service.cts'),
      [
        'import { createFlagClient } from \'@flagops/sdk\';',
        'import { FlagopsProvider } from \'@flagops/sdk/openfeature\';',
        '',
        'export async function main(): Promise<boolean> {',
        '  const flags = createFlagClient({ file: \'.flagops/store/production.json\' });',
        '  await flags.ready();',
        '  void new FlagopsProvider(flags);',
        '  const on = flags.isEnabled(\'newCheckout\');',
        '  await flags.close();',
        '  return on;',
        '}',
        '',
      ].join('\n'),
    );
    // Services in other languages: the package carries the grammars (WebAssembly, nothing to compile).
    writeFileSync(join(app, 'src/Checkout.java'), 'class Checkout { boolean on() { return client.getBooleanValue("newCheckout", false); } }\n');
    writeFileSync(join(app, 'src/checkout.py'), 'def on(client):\n    return client.get_boolean_value("newCheckout", False)\n');
    sh('git', ['add', '-A'], app);
    sh('git', ['commit', '-qm', 'flagops'], app);

    const scanned = JSON.parse(npx('scan', '--format', 'json')) as { references: { file: string; flag: string }[] };
    expect(scanned.references.filter((r) => r.flag === 'newCheckout').map((r) => r.file).sort()).toEqual(expect.arrayContaining(['src/Checkout.java', 'src/checkout.py']));
    expect(npx('check')).toMatch(/references? to 1 of 2 flags|no problems/);
    expect(npx('plan', '--all-envs')).toContain('Plan: 2 to add');
    expect(npx('sync', '--all-envs')).toMatch(/production[\s\S]*Synced: 2 added/);

    // Types, as the service's own compiler sees them: nodenext (ES module and CommonJS files) and bundler.
    const common = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--types', 'node'];
    sh(process.execPath, [tsc, ...common, '--module', 'nodenext', '--moduleResolution', 'nodenext', 'src/service.mts', 'src/service.cts'], app);
    sh(process.execPath, [tsc, ...common, '--module', 'esnext', '--moduleResolution', 'bundler', 'src/service.mts'], app);

    writeFileSync(join(app, 'service.mjs'), 'import { createFlagClient } from \'@flagops/sdk\';\nimport { FlagopsProvider } from \'@flagops/sdk/openfeature\';\nconst flags = createFlagClient({ file: \'.flagops/store/production.json\' });\nawait flags.ready();\nconsole.log(JSON.stringify({ on: flags.isEnabled(\'newCheckout\'), reason: flags.evaluate(\'newCheckout\').reason, provider: new FlagopsProvider(flags).metadata.name }));\nawait flags.close();\n');
    writeFileSync(join(app, 'service.cjs'), 'const { createFlagClient } = require(\'@flagops/sdk\');\nconst { FlagopsProvider } = require(\'@flagops/sdk/openfeature\');\nconst flags = createFlagClient({ file: \'.flagops/store/production.json\' });\nflags.ready().then(async () => {\n  console.log(JSON.stringify({ on: flags.isEnabled(\'newCheckout\'), provider: new FlagopsProvider(flags).metadata.name }));\n  await flags.close();\n});\n');
    expect(JSON.parse(sh(process.execPath, ['service.mjs'], app))).toEqual({ on: true, reason: 'STATIC', provider: 'flagops' });
    expect(JSON.parse(sh(process.execPath, ['service.cjs'], app))).toEqual({ on: true, provider: 'flagops' });
  });

  it('install the SDK without any compiler, YAML parser or schema validator, and report both installed sizes', { timeout: 300_000 }, () => {
    const service = tmpProject({ 'package.json': '{ "name": "service", "version": "1.0.0", "private": true }\n' });
    npmInstall(service, tarballs.sdk);
    const modules = readdirSync(join(service, 'node_modules'));
    for (const heavy of ['typescript', '@ts-morph', 'yaml', 'ajv', '@inquirer']) expect(modules, heavy).not.toContain(heavy);
    const tools = tmpProject({ 'package.json': '{ "name": "tools", "version": "1.0.0", "private": true }\n' });
    npmInstall(tools, '-D', tarballs.toolchain);
    const [sdkBytes, toolBytes] = [installedBytes(service), installedBytes(tools)];
    console.log(`installed with dependencies: @flagops/sdk ${(sdkBytes / 1024 / 1024).toFixed(2)} MiB, flagops ${(toolBytes / 1024 / 1024).toFixed(2)} MiB`);
    expect(sdkBytes * 5).toBeLessThan(toolBytes);
    // docs/install.md gives what this measures (du -sb of node_modules), within a tenth.
    for (const [name, bytes] of [['@flagops/sdk', sdkBytes], ['flagops', toolBytes]] as const) {
      const mib = bytes / 1024 / 1024;
      expect(Math.abs(documentedMiB(name) - mib) / mib, `${name}: docs/install.md says ${documentedMiB(name)} MiB, installed ${mib.toFixed(2)} MiB`).toBeLessThan(0.1);
    }
    // What each package says it runs on holds for everything it installs: no EBADENGINE for its users.
    for (const [folder, manifest] of [[service, 'packages/sdk/package.json'], [tools, 'package.json']] as const) {
      const ours = (JSON.parse(readFileSync(join(repoRoot, manifest), 'utf8')) as { engines: { node: string } }).engines.node;
      const narrower = installedEngines(folder).filter(([, range]) => !semver.subset(ours, range));
      expect(narrower, `${manifest} says node ${ours}`).toEqual([]);
    }
    expect(existsSync(join(tools, 'node_modules/.bin/flagops'))).toBe(true);
  });

  it('publish as they are packed (npm publish --dry-run)', { timeout: 120_000 }, () => {
    for (const dir of [repoRoot, join(repoRoot, 'packages/sdk')]) {
      const result = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts', '--json'], { cwd: dir, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      // npm 11 keys the report by package name.
      const parsed = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as Record<string, { name: string; files: unknown[] }>;
      const report = Object.values(parsed)[0]!;
      expect(report.name).toMatch(/^(flagops|@flagops\/sdk)$/);
      expect(report.files.length).toBeGreaterThan(5);
    }
  });
});
