import { Counter, Registry } from 'prom-client';
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
});
