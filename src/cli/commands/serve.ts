import type { Command } from '../command.js';
import { runServe } from '../flows/serve.js';

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
  run: runServe,
};
