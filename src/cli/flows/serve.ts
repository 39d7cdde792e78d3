import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiKeyError, type ApiKeys, parseApiKeys } from '../../serve/api-keys.js';
import { maskRedisPasswords, redactRedisUrl } from '../../store/redis-url.js';
import { resolveStoreTarget, StoreConfigError } from '../../store/target.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { brokenConfig, loadProject } from './project.js';

function log(io: { stdout: (text: string) => void }, fields: Record<string, unknown>): void {
  io.stdout(`${JSON.stringify({ level: 'info', time: Date.now(), ...fields })}\n`);
}

/** FLAGOPS_API_KEYS, or the keys file: never a command-line value, which other users of the machine can read. */
function readKeys(file: string | undefined, env: NodeJS.ProcessEnv, cwd: string, known: readonly string[]): ApiKeys {
  try {
    if (file !== undefined) {
      let text: string;
      try {
        text = readFileSync(resolve(cwd, file), 'utf8');
      } catch (error) {
        throw new UsageError(`Cannot read the API keys file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
      }
      return parseApiKeys(text, known, file, 'lines');
    }
    if (env.FLAGOPS_API_KEYS) return parseApiKeys(env.FLAGOPS_API_KEYS, known, 'FLAGOPS_API_KEYS');
  } catch (error) {
    if (error instanceof ApiKeyError) throw new UsageError(error.message, 'Each entry is <environment>=<key>, for example production=7f3c…; see docs/serve.md.');
    throw error;
  }
  throw new UsageError(
    'flagops serve needs API keys: FLAGOPS_API_KEYS="production=<key>,staging=<key>" or --api-keys-file <file>.',
    'A request\'s key decides the environment it reads. Make keys with: openssl rand -hex 24',
  );
}

/** What `flagops serve` does with its arguments. */
export async function runServe(args: ParsedArgs, io: Io): Promise<number> {
  const project = loadProject(io.cwd, args.values.config as string | undefined);
  if (project.diagnostics.some((d) => d.severity === 'error')) throw brokenConfig(project.diagnostics);
  const configured = Object.keys(project.config.environments);
  const wanted = (args.values.env as unknown as string[] | undefined) ?? configured;
  for (const env of wanted) {
    if (!configured.includes(env)) throw new UsageError(`Unknown environment "${env}".`, `The configuration has ${configured.join(', ')}.`);
  }
  const port = Number(args.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number, not "${String(args.values.port)}".`);
  const keys = readKeys(args.values['api-keys-file'] as string | undefined, io.env, io.cwd, configured);
  const cors = project.config.serve.cors;
  // The server and the SDK load only when serving: other commands do not pay for them.
  const [{ buildServer }, { createFlagClient }] = await Promise.all([import('../../serve/server.js'), import('../../sdk/client.js')]);
  const clients = new Map(
    wanted.map((env) => {
      let target;
      try {
        const redis = args.values.redis as string | undefined;
        target = resolveStoreTarget(env, project.config, project.root, { redis, env: io.env, cwd: io.cwd });
      } catch (error) {
        if (error instanceof StoreConfigError) throw new UsageError(error.message, error.hint);
        throw error;
      }
      const client = target.kind === 'file' ? createFlagClient({ file: target.path }) : createFlagClient({ url: target.url, prefix: target.prefix, timeoutMs: target.timeoutMs });
      const where = target.kind === 'file' ? target.label : `Redis ${redactRedisUrl(target.url)} (${target.prefix})`;
      client.on('ready', ({ revision, source }) => log(io, { msg: 'snapshot', environment: env, revision, source }));
      client.on('changed', ({ revision, changed }) => log(io, { msg: 'changed', environment: env, revision, flags: changed.length }));
      client.on('stale', ({ error }) => log(io, { level: 'warn', msg: 'store away: serving the last known good', environment: env, error: error.message }));
      // Why the store cannot be read (a refused password, no Redis there): once per outage; the client keeps retrying.
      client.on('error', (error) =>
        log(io, { level: 'error', msg: client.revision === 0 ? 'cannot read the flags yet: retrying' : 'store', environment: env, from: where, error: maskRedisPasswords(error.message) }));
      log(io, { msg: 'reading', environment: env, from: where });
      return [env, client] as const;
    }),
  );
  const { limits } = project.config.serve;
  const app = buildServer({
    clients,
    keys,
    cors,
    limits: {
      bodyBytes: limits.bodyBytes,
      bulkFlags: limits.bulkFlags,
      headersTimeoutMs: limits.headersTimeoutMs,
      requestTimeoutMs: limits.requestTimeoutMs,
      context: { maxDepth: limits.contextDepth, maxEntries: limits.contextEntries },
    },
    ...(io.env.FLAGOPS_SERVE_LOG !== 'off' ? { log: (fields: Record<string, unknown>) => log(io, fields) } : {}),
  });
  let address: string;
  try {
    address = await app.listen({ host: String(args.values.host), port });
  } catch (error) {
    await Promise.all([...clients.values()].map((c) => c.close()));
    throw new UsageError(`Cannot listen on ${String(args.values.host)}:${port}: ${(error as Error).message}`, 'Pick another --port, or stop what uses this one.');
  }
  log(io, { msg: 'serving', address, environments: wanted });
  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      log(io, { msg: 'stopping', signal });
      void app
        .close()
        .then(() => Promise.all([...clients.values()].map((c) => c.close())))
        .then(() => done());
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return EXIT.ok;
}
