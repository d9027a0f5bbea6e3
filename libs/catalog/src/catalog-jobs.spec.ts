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
    await runProductsJob(oltp.db, { seed: 7, count: 10, asOf: new Date('2026-11-01T00:00:00Z'), repriceShare: 0 });
    const before = await oltp.db.selectFrom('products').selectAll().execute();
    await runProductsJob(oltp.db, { seed: 8, count: 10, asOf: new Date('2026-11-02T00:00:00Z'), repriceShare: 1 });
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
    expect(catalog.merchants).toHaveLength(4);
  });
});
