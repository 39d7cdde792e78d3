// A bare route that answers a constant, for `npm run bench:serve`: the floor each HTTP framework
// sets before any work is done. Usage: node bench/serve-floor.mjs <node|fastify|hono|express> <port>
import { createServer } from 'node:http';

const [framework, portText] = process.argv.slice(2);
const port = Number(portText);
// FLOOR_BODY: answer this text instead (the bulk floor answers as many bytes as a bulk answer).
const body = process.env.FLOOR_BODY ?? JSON.stringify({ key: 'constant', value: true, reason: 'STATIC', variant: 'on', metadata: {} });
const ready = () => console.log(`listening ${port}`);

if (framework === 'node') {
  createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      JSON.parse(text || '{}');
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    });
  }).listen(port, '127.0.0.1', ready);
} else if (framework === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.post('/ofrep/v1/evaluate/flags/:key', (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
  await app.listen({ host: '127.0.0.1', port });
  ready();
} else if (framework === 'hono') {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  app.post('/ofrep/v1/evaluate/flags/:key', async (c) => {
    await c.req.json();
    return c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' });
  });
  serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, ready);
} else if (framework === 'express') {
  const { default: express } = await import('express');
  const app = express();
  app.use(express.json());
  app.post('/ofrep/v1/evaluate/flags/:key', (_request, response) => response.type('application/json; charset=utf-8').send(body));
  app.listen(port, '127.0.0.1', ready);
} else {
  console.error(`unknown framework ${framework}`);
  process.exit(2);
}
