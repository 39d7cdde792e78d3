import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from './helpers/cli.js';
import { freePort } from './helpers/redis-server.js';
import { tmpProject } from './helpers/tmp.js';

/**
 * Every TypeScript snippet in the README and docs/ type-checks against the real API. Snippets are
 * fragments: a name they use without declaring (`user`, `app`, `flags`) is allowed, everything
 * else is an error, unless the line says it is one (`// error TS2345`). A block marked
 * ```ts sketch``` shows a shape or a before-and-after, not code, and is only counted.
 */
interface Snippet {
  file: string;
  line: number;
  lang: string;
  code: string;
  sketch: boolean;
}

function snippets(): Snippet[] {
  const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((p) => p.endsWith('.md')).map((p) => `docs/${p}`)];
  const out: Snippet[] = [];
  for (const file of pages) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const m of text.matchAll(/^```(tsx|typescript|ts)([^\n]*)\n([\s\S]*?)^```/gm)) {
      out.push({ file, line: text.slice(0, m.index).split('\n').length + 1, lang: m[1]!, code: m[3]!, sketch: /\bsketch\b/.test(m[2]!) });
    }
  }
  return out;
}

/** Names a fragment may use without declaring, and modules of the reader's own project it may import. */
const ALLOWED = new Set([2304, 2552, 2582, 18004]);

describe('the TypeScript in the docs', () => {
  const all = snippets();
  const code = all.filter((s) => !s.sketch);

  it(`type-checks (${code.length} snippets; ${all.length - code.length} sketches)`, async () => {
    // The module codegen writes for the example flags, for the snippets that import it.
    const generated = tmpProject();
    for (const part of ['flags', 'segments', 'flagops.config.yaml']) {
      spawnSync('cp', ['-r', join(repoRoot, part), generated]);
    }
    const made = spawnSync(process.execPath, [cliPath, 'codegen', '--out', 'flags.gen.ts', '--no-manifest', '--now', '2026-12-10'], { cwd: generated, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const files = new Map<string, string>();
    code.forEach((s, i) => files.set(join(repoRoot, `.docs-snippets/${i}.${s.lang === 'tsx' ? 'tsx' : 'ts'}`), `${s.code}\nexport {};\n`));
    const gen = readFileSync(join(generated, 'flags.gen.ts'), 'utf8').replace('from \'@flagops/sdk\'', 'from \'flagops\'');
    files.set(join(repoRoot, '.docs-snippets/flags.gen.ts'), gen);
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      strict: true,
      // Fragments pass callbacks to objects they do not declare (app.use((req, res) => …)).
      noImplicitAny: false,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      baseUrl: repoRoot,
      paths: {
        '@flagops/sdk': ['src/sdk/index.ts'],
        '@flagops/sdk/openfeature': ['src/openfeature/index.ts'],
        flagops: ['src/index.ts'],
        'flagops/openfeature': ['src/openfeature/index.ts'],
        './flags.gen.js': ['.docs-snippets/flags.gen.ts'],
      },
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    host.readFile = (name) => files.get(name) ?? read(name);
    host.fileExists = (name) => files.has(name) || exists(name);
    const folder = join(repoRoot, '.docs-snippets');
    const isDirectory = host.directoryExists?.bind(host);
    host.directoryExists = (name) => name === folder || (isDirectory ? isDirectory(name) : true);
    const original = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version) => (files.has(name) ? ts.createSourceFile(name, files.get(name)!, version, true) : original(name, version));
    const program = ts.createProgram([...files.keys()].filter((f) => !f.endsWith('flags.gen.ts')), options, host);
    const problems: string[] = [];
    code.forEach((s, i) => {
      const source = program.getSourceFile(join(repoRoot, `.docs-snippets/${i}.${s.lang === 'tsx' ? 'tsx' : 'ts'}`))!;
      const lines = s.code.split('\n');
      const expected = new Map(lines.flatMap((l, n) => [...l.matchAll(/\/\/ error (TS\d+)/g)].map((m) => [n, m[1]!] as const)));
      const seen = new Set<number>();
      for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
        const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
        const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
        // A relative import is the reader's own module (./sdk.js in a cleanup example), not ours.
        const ownModule = d.code === 2307 && /'\.\.?\//.test(message);
        if (expected.get(line) === `TS${d.code}`) {
          seen.add(line);
          continue;
        }
        if (ALLOWED.has(d.code) || ownModule) continue;
        problems.push(`${s.file}:${s.line + line} TS${d.code}: ${message}`);
      }
      for (const [line, code] of expected) if (!seen.has(line)) problems.push(`${s.file}:${s.line + line} says ${code}, which TypeScript does not report`);
    });
    expect(problems).toEqual([]);
  });

  it('starts the README\'s service snippet, as written, with Redis down: no crash, flags at their defaults', async () => {
    const snippet = all.find((s) => s.file === 'README.md' && s.code.includes('createFlagClient'))!;
    // Inside the repository, so that the bundle finds the SDK's dependencies in node_modules.
    const dir = join(repoRoot, 'node_modules/.cache/flagops-docs-test');
    mkdirSync(join(dir, 'src'), { recursive: true });
    // The names the fragment leaves to its service, and a line to show it got past ready().
    writeFileSync(join(dir, 'src/service.ts'), `const user = { id: 'u-1', plan: 'pro' };\n${snippet.code}\nconsole.log(JSON.stringify({ started: true, state: flags.state, enabled: flags.isEnabled('new-checkout', { userId: user.id }) }));\nawait flags.close();\n`);
    await build({
      entryPoints: [join(dir, 'src/service.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(dir, 'service.mjs'),
      alias: { '@flagops/sdk': join(repoRoot, 'dist/sdk/index.js') },
      packages: 'external',
      logLevel: 'error',
    });
    const port = await freePort();
    const run = spawnSync(process.execPath, [join(dir, 'service.mjs')], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH, REDIS_URL: `redis://127.0.0.1:${port}` }, timeout: 20_000 });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toEqual({ started: true, state: 'starting', enabled: false });
  }, 30_000);
});
