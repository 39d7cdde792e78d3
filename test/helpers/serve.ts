import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { parseDocument } from 'yaml';
import type { FlagClient } from '../../src/sdk/index.js';
import { cliPath, repoRoot } from './cli.js';

export interface Served {
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** Runs `flagops serve --port 0` as a user would and waits for its "serving" line. */
export function startServe(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', ...args], { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flagops serve did not start:\n${out}`)), 20_000);
    const look = () => {
      const line = out.split('\n').find((l) => l.includes('"msg":"serving"'));
      if (line) {
        clearTimeout(timer);
        const { address } = JSON.parse(line) as { address: string };
        resolve({
          url: address,
          child,
          output: () => out,
          stop: () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`flagops serve exited (${code}):\n${out}`));
    });
  });
}

/** Sets the serve: section of a project's flagops.config.yaml, keeping the rest (and its comments). */
export function setServeSettings(root: string, serve: Record<string, unknown>): void {
  const path = join(root, 'flagops.config.yaml');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  doc.set('serve', serve);
  writeFileSync(path, doc.toString());
}

type Context = { targetingKey: string } & Record<string, unknown>;

/** examples/browser, bundled for the browser and served from its own origin (as a real app is). */
export async function servePage(port: number): Promise<Server> {
  const bundle = await build({ entryPoints: [join(repoRoot, 'examples/browser/app.ts')], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'warning' });
  const files: Record<string, [string, string]> = {
    '/index.html': [readFileSync(join(repoRoot, 'examples/browser/index.html'), 'utf8'), 'text/html'],
    '/app.js': [bundle.outputFiles[0]!.text, 'text/javascript'],
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/favicon.ico') return response.writeHead(204).end();
    const file = files[path];
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': file[1] }).end(file[0]);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** Each flag's value type (from its variants): which typed OpenFeature getter reads it. */
export const valueKinds = (sdk: FlagClient, keys: readonly string[]) =>
  Object.fromEntries(keys.map((key) => [key, typeof Object.values(sdk.describe(key)!.variants)[0]]));

/** What the example page's OpenFeature client answers, per context and flag, as JSON [user, flag, value, variant, reason]. */
export function pageAnswers(tab: Page, contexts: readonly Context[], keys: readonly string[], kinds: Record<string, string>): Promise<string[]> {
  return tab.evaluate(
    async ({ contexts, keys, kinds }) => {
      type Getter = (key: string, fallback: never) => { value: unknown; variant?: string; reason?: string };
      type Flagops = { flagops: { OpenFeature: { setContext(c: unknown): Promise<void> }; client: Record<string, Getter> } };
      const { OpenFeature, client } = (window as unknown as Flagops).flagops;
      const getter: Record<string, [string, unknown]> = { boolean: ['getBooleanDetails', false], string: ['getStringDetails', ''], number: ['getNumberDetails', 0], object: ['getObjectDetails', {}] };
      const out: string[] = [];
      for (const context of contexts) {
        await OpenFeature.setContext(context);
        for (const key of keys) {
          const [method, fallback] = getter[kinds[key]!]!;
          const d = client[method]!.call(client, key, fallback as never);
          out.push(JSON.stringify([context.targetingKey, key, d.value, d.variant, d.reason]));
        }
      }
      return out;
    },
    { contexts, keys, kinds },
  );
}

/** The SDK's answers in the shape of pageAnswers (OpenFeature's targetingKey is the user id). */
export const sdkAnswers = (sdk: FlagClient, contexts: readonly Context[], keys: readonly string[]) =>
  contexts.flatMap((c) =>
    keys.map((key) => {
      const r = sdk.evaluate(key, { ...c, userId: c.targetingKey });
      return JSON.stringify([c.targetingKey, key, r.value, r.variant, r.reason]);
    }),
  );
