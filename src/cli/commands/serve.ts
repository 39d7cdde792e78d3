import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { brokenConfig, loadProject } from '../project.js';
import { maskRedisPasswords, redactRedisUrl } from '../../store/redis-url.js';
import { resolveStoreTarget, StoreConfigError } from '../../store/target.js';
import { ApiKeyError, type ApiKeys, parseApiKeys } from '../../serve/api-keys.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the flags over OFREP to browsers and services in any language',
  positionals: false,
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', short: 'p', default: '8016' },
    redis: { type: 'string' },
    env: { type: 'string', short: 'e', multiple: true },
    'api-keys-file': { type: 'string' },
    config: { type: 'string', short: 'c' },
  },
  help: `Usage: flagops serve [options]

An OpenFeature Remote Evaluation Protocol (OFREP) server: OpenFeature's OFREP
providers (web, Node, Go, Java, Python, .NET …) evaluate flagops flags through
it, with the SDK's engine and bucketing. Each environment is read from its store
(Redis or the file store, as sync writes it) and kept current by change
messages and polling; no request reads the store.

  POST /ofrep/v1/evaluate/flags/{key}   one flag
  POST /ofrep/v1/evaluate/flags         every flag (ETag / If-None-Match)
  GET  /ofrep/v1/configuration          what the server supports
  GET  /healthz  /readyz  /metrics      liveness, readiness (a snapshot per
                                        environment), Prometheus metrics

A request's API key decides its environment: X-API-Key: <key> or Authorization:
Bearer <key>. Keys come from FLAGOPS_API_KEYS="production=<key>,staging=<key>" or
--api-keys-file (one environment=<key> per line), never from the command line.
Browser origins per environment: serve.cors in the configuration.

Options:
      --host <host>          address to listen on (default 127.0.0.1; 0.0.0.0 for all)
  -p, --port <port>          port (default 8016; 0 picks a free one)
  -e, --env <name>           serve this environment (repeat for more; default: all)
      --redis <url>          read every environment from this Redis (default: the
                             configuration, then FLAGOPS_REDIS_URL, else the file store)
      --api-keys-file <file> the API keys, one environment=<key> per line
  -c, --config <file>        configuration file (default: flagops.config.yaml)
  -h, --help                 show this help

Stops on SIGTERM or SIGINT after answering the requests under way.

Exit codes: 0 stopped, 2 could not start (no keys, an unknown environment, a port in use).

Examples:
  FLAGOPS_API_KEYS="production=$(cat prod.key)" flagops serve --env production
  flagops serve --host 0.0.0.0 --port 8080 --api-keys-file /run/secrets/flagops-keys
`,
  async run(args, io) {
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
  },
};

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
