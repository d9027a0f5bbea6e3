// Gives each test file its own throw-away database on the real Postgres server, so tests never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { requireService } from './services.js';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const { DATABASE_URL: adminUrl } = await requireService('postgres');
  if (!adminUrl) throw new Error('DATABASE_URL missing after requireService');
  const name = `${prefix.replace(/\W/g, '_')}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase();
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
