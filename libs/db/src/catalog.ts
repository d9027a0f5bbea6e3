// Catalog writes and reads: generated users, products, merchants and devices, and the catalog the producer draws from.
import type { Kysely } from 'kysely';
import type { Database, Merchant, NewDevice, NewMerchant, NewProduct, NewUser, Product, User } from './schema.js';

/** Inserts users; an existing user id is skipped, not an error. Returns how many were new. */
export async function insertUsers(db: Kysely<Database>, users: NewUser[]): Promise<number> {
  if (users.length === 0) return 0;
  const inserted = await db
    .insertInto('users')
    .values(users)
    .onConflict((oc) => oc.column('user_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0);
}

/** Inserts or updates products; an update moves `updated_at` so the daily load picks the new version up. */
export async function upsertProducts(db: Kysely<Database>, products: NewProduct[]): Promise<number> {
  if (products.length === 0) return 0;
  const result = await db
    .insertInto('products')
    .values(products)
    .onConflict((oc) =>
      oc.column('product_id').doUpdateSet((eb) => ({
        product_name: eb.ref('excluded.product_name'),
        category: eb.ref('excluded.category'),
        price: eb.ref('excluded.price'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function insertMerchants(db: Kysely<Database>, merchants: NewMerchant[]): Promise<number> {
  if (merchants.length === 0) return 0;
  const result = await db
    .insertInto('merchants')
    .values(merchants)
    .onConflict((oc) => oc.column('merchant_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function insertDevices(db: Kysely<Database>, devices: NewDevice[]): Promise<number> {
  if (devices.length === 0) return 0;
  const result = await db
    .insertInto('devices')
    .values(devices)
    .onConflict((oc) => oc.column('device_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export interface Catalog {
  users: User[];
  products: Product[];
  merchants: Merchant[];
}

export async function loadCatalog(db: Kysely<Database>): Promise<Catalog> {
  const [users, products, merchants] = await Promise.all([
    db.selectFrom('users').selectAll().orderBy('user_id').execute(),
    db.selectFrom('products').selectAll().orderBy('product_id').execute(),
    db.selectFrom('merchants').selectAll().orderBy('merchant_id').execute(),
  ]);
  return { users, products, merchants };
}

/** Counts per catalog table, used to continue id sequences across runs. */
export async function catalogSizes(db: Kysely<Database>): Promise<{ users: number; products: number; merchants: number; devices: number }> {
  const count = (table: 'users' | 'products' | 'merchants' | 'devices') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));
  const [users, products, merchants, devices] = await Promise.all([count('users'), count('products'), count('merchants'), count('devices')]);
  return { users, products, merchants, devices };
}
