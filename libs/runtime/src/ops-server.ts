// The operations endpoints every service exposes: liveness, readiness and Prometheus metrics.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Ready means the service can do its job now (e.g. the database answers and no partition is stuck); a reason says why not. */
  isReady: () => Readiness | Promise<Readiness>;
}

export type Readiness = boolean | { ready: boolean; reason?: string };

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

export async function startOpsServer({ port, host = '0.0.0.0', registry, isReady }: OpsServerOptions): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') return reply(200, 'ok\n');
    if (path === '/readyz') {
      return void Promise.resolve(isReady())
        .then((readiness) => {
          const { ready, reason } = typeof readiness === 'boolean' ? { ready: readiness, reason: undefined } : readiness;
          reply(ready ? 200 : 503, ready ? 'ready\n' : `not ready${reason ? `: ${reason}` : ''}\n`);
        })
        .catch((error: Error) => reply(503, `not ready: ${error.message}\n`));
    }
    if (path === '/metrics') {
      return void registry.metrics().then(
        (body) => reply(200, body, registry.contentType),
        (error: Error) => reply(500, error.message),
      );
    }
    return reply(404, 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
