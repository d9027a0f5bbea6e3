import { migrateToLatest, openDatabase, type OltpDatabase } from '@fraudline/db';
import { EMAIL_FORMAT_PATTERNS, EMAIL_FORMATS } from '@fraudline/generators';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { producerCatalog, runProductsJob, runUsersJob, seedCatalog } from './catalog-jobs.js';

describe('catalog jobs on the embedded database', () => {
  let dataDir: string;
  let oltp: OltpDatabase;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fraudline-catalog-'));
    oltp = await openDatabase({ kind: 'pglite', dataDir });
    await migrateToLatest(oltp.db);
  });
  afterAll(async () => {
    await oltp.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('branches between the three email formats over runs, each address matching its format', async () => {
    const formats = new Set<string>();
    for (let run = 0; run < 12; run++) {
      const result = await runUsersJob(oltp.db, { seed: 1000 + run });
      expect(result.inserted).toBe(10);
      formats.add(result.emailFormat);
      const users = await oltp.db.selectFrom('users').select('email').orderBy('user_id', 'desc').limit(10).execute();
      for (const { email } of users) expect(email).toMatch(EMAIL_FORMAT_PATTERNS[result.emailFormat]);
    }
    expect([...formats].sort()).toEqual([...EMAIL_FORMATS].sort());
  });

  it('upserts products and moves updated_at on a re-price', async () => {
    const first = await runProductsJob(oltp.db, { seed: 7, count: 10, asOf: new Date('2026-11-01T00:00:00Z'), repriceShare: 0 });
    const before = await oltp.db.selectFrom('products').selectAll().execute();
    const second = await runProductsJob(oltp.db, { seed: 8, count: 10, asOf: new Date('2026-11-02T00:00:00Z'), repriceShare: 1 });
    // The first run found no merchants to sell its products and created them; the second found them.
    expect([first.merchants, first.devices, second.merchants, second.devices]).toEqual([50, 200, 0, 0]);
    const after = await oltp.db.selectFrom('products').selectAll().execute();
    expect(after).toHaveLength(20);
    const firstAgain = after.find((row) => row.product_id === before[0]!.product_id)!;
    expect(firstAgain.updated_at).toEqual(new Date('2026-11-02T00:00:00Z'));
  });

  it('hands the producer only ids that exist', async () => {
    await seedCatalog(oltp.db, { seed: 3, users: 25, products: 5, merchants: 4, devices: 10 });
    const catalog = await producerCatalog(oltp.db);
    const storedUsers = await oltp.db.selectFrom('users').select('user_id').execute();
    expect(catalog.users.map((u) => u.userId).sort()).toEqual(storedUsers.map((u) => u.user_id).sort());
    const storedMerchants = await oltp.db.selectFrom('merchants').select('merchant_id').execute();
    expect(catalog.merchants.map((m) => m.merchantId).sort()).toEqual(storedMerchants.map((m) => m.merchant_id).sort());
  });

  it('gives the producer a whole catalog after the hourly users and products jobs alone', async () => {
    const freshDir = await mkdtemp(join(tmpdir(), 'fraudline-catalog-jobs-only-'));
    const fresh = await openDatabase({ kind: 'pglite', dataDir: freshDir });
    try {
      await migrateToLatest(fresh.db);
      await runUsersJob(fresh.db, { seed: 1 });
      await runProductsJob(fresh.db, { seed: 1 });
      const catalog = await producerCatalog(fresh.db);
      expect([catalog.users.length, catalog.products.length, catalog.merchants.length]).toEqual([10, 10, 50]);
    } finally {
      await fresh.close();
      await rm(freshDir, { recursive: true, force: true });
    }
  });
});
