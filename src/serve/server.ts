import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteGenericInterface } from 'fastify';
import type { FlagClient } from '../sdk/client.js';
import { type ApiKeys, presentedKey } from './api-keys.js';
import { ServeMetrics } from './metrics.js';
import { AnswerWriter, type ContextLimits, ContextError, type OfrepFailure, readContext } from './ofrep.js';

export interface ServeLimits {
  /** Largest request body, in bytes. */
  bodyBytes: number;
  context: ContextLimits;
  /** The most flags one bulk evaluation answers; an environment with more is refused (evaluate them one by one). */
  bulkFlags: number;
  /**
   * Most time for a request's headers (the connection is closed after it) and for the whole
   * request (408): a slow client holds no connection for ever.
   */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  bodyBytes: 64 * 1024,
  context: { maxDepth: 8, maxEntries: 1000 },
  bulkFlags: 5000,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
};

/** Flag keys are at most 128 characters; a path parameter this long (percent-encoded, say) still gets FLAG_NOT_FOUND, not a 414. */
const MAX_PARAM_LENGTH = 1024;

export interface ServeOptions {
  /** The environments served, each read by its own client (kept current by the store, never read per request). */
  clients: ReadonlyMap<string, FlagClient>;
  keys: ApiKeys;
  /** Per environment, the browser origins allowed to call it (CORS); none: no browser may. */
  cors?: Readonly<Record<string, readonly string[]>>;
  limits?: ServeLimits;
  /** Where each request's one log line goes (and a failure's): none, no logs. Never given a key: headers are not logged. */
  log?: (fields: Record<string, unknown>) => void;
}

const PREFLIGHT_HEADERS = 'Content-Type, Authorization, X-API-Key, If-None-Match';

/**
 * The OFREP server: single and bulk evaluation, configuration, health, readiness and metrics, for
 * the environments its clients read. Every evaluation is the SDK's, from memory.
 */
export function buildServer(options: ServeOptions): FastifyInstance {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const cors = options.cors ?? {};
  const anyOrigin = new Set(Object.values(cors).flat());
  const writers = new Map([...options.clients].map(([environment, client]) => [environment, new AnswerWriter(client)]));
  const metrics = new ServeMetrics(options.clients, writers);
  const JSON_TYPE = 'application/json; charset=utf-8';
  const app = Fastify({
    // One JSON line per request, in flagops' shape, written where each request is counted: Fastify's own logger is off.
    logger: false,
    bodyLimit: limits.bodyBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Node checks the timeouts of open connections this often: a slow client is cut soon after its time is up.
    serverFactory: (handler) =>
      createServer(
        {
          requestTimeout: limits.requestTimeoutMs,
          headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
          connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
        },
        handler,
      ),
    requestTimeout: limits.requestTimeoutMs,
    // A refusal before any route (a URL that cannot be decoded, a path parameter over the limit) is answered and counted like the others.
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const body = tooLong
        ? { errorCode: 'FLAG_NOT_FOUND', errorDetails: 'No flag has a key this long.' }
        : { errorCode: 'GENERAL', errorDetails: 'The URL is not valid: it cannot be decoded.' };
      void (reply as FastifyReply).code(tooLong ? 404 : 400).send(body);
      observeRequest(tooLong ? '/ofrep/v1/evaluate/flags/:key' : 'unknown', request as FastifyRequest, reply as FastifyReply);
    },
    // Idle keep-alive connections close at shutdown; requests under way finish first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  const { log } = options;
  /** Counts a request answered, and writes its one log line (nothing from its headers: no key is ever logged). */
  function observeRequest(route: string, request: FastifyRequest, reply: FastifyReply) {
    const seconds = reply.elapsedTime / 1000;
    metrics.observe(route, reply.statusCode, seconds);
    log?.({ msg: 'request', method: request.method, url: request.url.split('?')[0]!.slice(0, 300), route, status: reply.statusCode, ms: Math.round(seconds * 1e5) / 100 });
  }

  // JSON bodies parsed here rather than by Fastify's parser, which answers a prototype-poisoning
  // body with "Body is not valid JSON" and drops the parser's message for a body that is not.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseBody(body as string));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });

  // Each route counts its own requests as it answers: a global onResponse hook, and the route options
  // it would read the route from, cost a tenth of a single-flag request.
  type Answer = FastifyReply | Promise<FastifyReply>;
  const counted =
    <R extends RouteGenericInterface>(route: string, handler: (request: FastifyRequest<R>, reply: FastifyReply) => Answer) =>
      (request: FastifyRequest<R>, reply: FastifyReply): Answer => {
        const answered = handler(request, reply);
        const observe = () => observeRequest(route, request as FastifyRequest, reply);
        // A handler that fails is counted by the error handler, which answers for it.
        if (answered instanceof Promise) {
          return answered.then((sent) => {
            observe();
            return sent;
          });
        }
        observe();
        return answered;
      };

  // A preflight carries no key: any origin allowed for some environment may ask; the request itself is held to its own.
  app.options('/ofrep/*', counted('/ofrep/*', (request, reply) => {
    const origin = request.headers.origin;
    if (typeof origin === 'string' && anyOrigin.has(origin)) {
      reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
      reply.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS').header('Access-Control-Allow-Headers', PREFLIGHT_HEADERS);
      reply.header('Access-Control-Max-Age', '600');
    }
    return reply.code(204).send();
  }));

  /** The environment the request's key opens, with CORS headers for an allowed origin; or the refusal, sent. */
  const authorize = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
    const presented = presentedKey(request.headers);
    const environment = options.keys.environmentOf(presented);
    if (presented === undefined) {
      void reply.code(401).send({ errorDetails: 'An API key is required: X-API-Key: <key> or Authorization: Bearer <key>.' });
      return undefined;
    }
    if (environment === undefined) {
      void reply.code(401).send({ errorDetails: 'The API key is not valid.' });
      return undefined;
    }
    if (!options.clients.has(environment)) {
      void reply.code(403).send({ errorDetails: `This key is for environment "${environment}", which this server does not serve.` });
      return undefined;
    }
    const origin = request.headers.origin;
    if (typeof origin === 'string') {
      if (!(cors[environment] ?? []).includes(origin)) {
        void reply.code(403).send({ errorDetails: `Origin ${origin} may not call environment "${environment}" (serve.cors in the configuration).` });
        return undefined;
      }
      reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin').header('Access-Control-Expose-Headers', 'ETag');
    }
    return environment;
  };

  const contextOf = (request: FastifyRequest, reply: FastifyReply, key?: string) => {
    try {
      return readContext(request.body, limits.context);
    } catch (error) {
      if (!(error instanceof ContextError)) throw error;
      const body: OfrepFailure = { ...(key !== undefined ? { key } : {}), errorCode: 'INVALID_CONTEXT', errorDetails: error.message };
      void reply.code(400).send(body);
      return undefined;
    }
  };

  const single = '/ofrep/v1/evaluate/flags/:key';
  app.post<{ Params: { key: string } }>(single, counted<{ Params: { key: string } }>(single, (request, reply) => {
    const environment = authorize(request, reply);
    if (environment === undefined) return reply;
    const { key } = request.params;
    const context = contextOf(request, reply, key);
    if (context === undefined) return reply;
    const answer = writers.get(environment)!.one(key, context);
    return reply.code(answer.status).type(JSON_TYPE).send(answer.body);
  }));

  app.post('/ofrep/v1/evaluate/flags', counted('/ofrep/v1/evaluate/flags', (request, reply) => {
    const environment = authorize(request, reply);
    if (environment === undefined) return reply;
    const context = contextOf(request, reply);
    if (context === undefined) return reply;
    const client = options.clients.get(environment)!;
    if (client.revision === 0) return reply.code(500).send({ errorCode: 'GENERAL', errorDetails: 'No flags yet: the store has not been read (see /readyz).' });
    const writer = writers.get(environment)!;
    const size = writer.size();
    if (size > limits.bulkFlags) {
      return reply.code(400).send({
        errorCode: 'GENERAL',
        errorDetails: `Environment "${environment}" has ${size} flags, more than one bulk evaluation answers (${limits.bulkFlags}): evaluate flags one by one.`,
      });
    }
    // A poll: if this snapshot gave this context the tag the client holds, and no stage has begun since, nothing changed.
    const held = request.headers['if-none-match'];
    const asked = held === undefined ? undefined : JSON.stringify(context);
    const known = asked === undefined ? undefined : writer.knownTag(asked);
    if (known !== undefined && matches(held, known)) return reply.header('ETag', known).header('Cache-Control', 'no-cache').code(304).send();
    // The tag is derived from the answer itself: it changes with a sync, a kill, a rollout stage or the context, and only then.
    const answer = writer.all(context);
    if (asked !== undefined) writer.remember(asked, answer);
    reply.header('ETag', answer.etag).header('Cache-Control', 'no-cache');
    if (matches(held, answer.etag)) return reply.code(304).send();
    return reply.code(200).type(JSON_TYPE).send(answer.body());
  }));

  app.get('/ofrep/v1/configuration', counted('/ofrep/v1/configuration', (request, reply) => {
    if (authorize(request, reply) === undefined) return reply;
    return reply.send({
      name: 'flagops',
      capabilities: {
        cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
        flagEvaluation: { supportedTypes: ['boolean', 'string', 'int', 'float', 'object'] },
      },
    });
  }));

  app.get('/healthz', counted('/healthz', (_request, reply) => reply.send({ status: 'ok' })));

  // Ready once every environment has flags (from the store, or a bootstrap or backup file); stale is ready: it serves the last known good.
  app.get('/readyz', counted('/readyz', (_request, reply) => {
    const environments = Object.fromEntries(
      [...options.clients].map(([name, client]) => {
        const problem = client.state === 'ready' ? undefined : client.problem;
        return [name, { state: client.state, revision: client.revision, ageSeconds: metrics.ageSeconds(name), ...(problem ? { problem } : {}) }];
      }),
    );
    const ready = [...options.clients.values()].every((client) => client.revision !== 0);
    return reply.code(ready ? 200 : 503).send({ ready, environments });
  }));

  app.get('/metrics', counted('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text())));

  app.setNotFoundHandler(
    counted('unknown', (request, reply) => reply.code(404).send({ errorDetails: `There is no ${request.method} ${request.url.split('?')[0]}: see /ofrep/v1/.` })),
  );

  // Requests refused before their handler ran (a body too large, not JSON) are counted here.
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const answered = answerError(error, request, reply);
    observeRequest(request.routeOptions.url ?? 'unknown', request, reply);
    return answered;
  });

  const answerError = (error: Error & { statusCode?: number; code?: string }, request: FastifyRequest, reply: FastifyReply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ errorCode: 'GENERAL', errorDetails: `The request body is larger than ${limits.bodyBytes} bytes.` });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({ errorCode: 'GENERAL', errorDetails: 'Send the request body as application/json.' });
    }
    if (error instanceof PoisonedBody) {
      const key = (request.params as { key?: string } | undefined)?.key;
      return reply.code(400).send({
        ...(key !== undefined ? { key } : {}),
        errorCode: 'INVALID_CONTEXT',
        errorDetails: 'The request body is JSON with a "__proto__" or "constructor": { "prototype" } key, which flagops refuses: it could change every object (prototype poisoning). Send the context without it.',
      });
    }
    if (error.statusCode === 400) {
      const key = (request.params as { key?: string } | undefined)?.key;
      return reply.code(400).send({ ...(key !== undefined ? { key } : {}), errorCode: 'PARSE_ERROR', errorDetails: `The request body is not valid JSON: ${error.message}` });
    }
    log?.({ level: 'error', msg: 'request failed', url: request.url.split('?')[0]!.slice(0, 300), error: error.message });
    return reply.code(500).send({ errorDetails: 'The server could not answer this request.' });
  };

  app.addHook('onClose', () => metrics.close());
  return app;
}

class PoisonedBody extends Error {}

/** Either spelling of a key that could poison prototypes, escaped or not: only bodies that hold one are looked at key by key. */
const SUSPECT = /proto|constructor|\\u/;

/**
 * A request body as JSON, refusing `__proto__` and `constructor.prototype` keys (however they are
 * escaped): the same refusal as Fastify's, with its reason.
 */
function parseBody(body: string): unknown {
  if (body.trim() === '') throw new SyntaxError('the body is empty; send {"context": {…}}');
  if (!SUSPECT.test(body)) return JSON.parse(body);
  return JSON.parse(body, function (this: Record<string, unknown>, key, value: unknown) {
    if (key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'))) {
      throw new PoisonedBody(key);
    }
    return value;
  });
}

/** If-None-Match: a list of tags, or *. */
function matches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  return text.trim() === '*' || text.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
