import { connect, createServer, type Server, type Socket } from 'node:net';

export interface StallProxy {
  port: number;
  url: string;
  /** Stops forwarding in both directions without closing anything: the peers see a silent network. */
  stall(): void;
  /** Forwards again, including what was held back meanwhile. */
  resume(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback in front of `targetPort` that can hang every connection through it the
 * way a stuck load balancer or a paused VM does: sockets stay open, bytes stop (and are delivered
 * late on resume).
 */
export async function startStallProxy(targetPort: number): Promise<StallProxy> {
  const sockets = new Set<Socket>();
  const held: Array<() => void> = [];
  let stalled = false;
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk) => {
      if (stalled) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const send of held.splice(0)) send();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
