import { Counter, Registry } from 'prom-client';
import { loadPipelineEnv } from './config.js';
import { startOpsServer } from './ops-server.js';

describe('ops server', () => {
  it('serves liveness, readiness that follows the service, and metrics', async () => {
    const registry = new Registry();
    new Counter({ name: 'orders_consumed_total', help: 'orders consumed', registers: [registry] }).inc(3);
    let ready = false;
    const server = await startOpsServer({ port: 0, host: '127.0.0.1', registry, isReady: () => ready });
    const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);
    try {
      expect((await get('/healthz')).status).toBe(200);
      expect((await get('/readyz')).status).toBe(503);
      ready = true;
      expect((await get('/readyz')).status).toBe(200);
      expect(await (await get('/metrics')).text()).toContain('orders_consumed_total 3');
      expect((await get('/nope')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  // 127.0.0.2 is loopback too, so it tells "bound to every address" from "bound to 127.0.0.1" without leaving the machine.
  const healthAt = (address: string, port: number) => fetch(`http://${address}:${port}/healthz`).then((response) => response.status);

  it('listens only on OPS_HOST when it names an address', async () => {
    const server = await startOpsServer({ port: 0, host: loadPipelineEnv({ OPS_HOST: '127.0.0.1' }).OPS_HOST, registry: new Registry(), isReady: () => true });
    try {
      expect(await healthAt('127.0.0.1', server.port)).toBe(200);
      await expect(healthAt('127.0.0.2', server.port)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    } finally {
      await server.close();
    }
  });

  it('listens on every address by default, as a container needs', async () => {
    const server = await startOpsServer({ port: 0, host: loadPipelineEnv({}).OPS_HOST, registry: new Registry(), isReady: () => true });
    try {
      expect(await healthAt('127.0.0.2', server.port)).toBe(200);
    } finally {
      await server.close();
    }
  });
});
