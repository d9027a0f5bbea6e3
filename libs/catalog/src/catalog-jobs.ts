// The catalog jobs: generate users, products, merchants and devices, store them, and hand the stored catalog to the order producer.
import type { PaymentMethod } from '@fraudline/events';
import { catalogSizes, insertDevices, insertMerchants, insertUsers, loadCatalog, upsertProducts, type Database } from '@fraudline/db';
import {
  generateDevices,
  generateMerchants,
  generateProducts,
  generateUsers,
  repriceProducts,
  type Catalog,
  type CatalogLocale,
  type EmailFormat,
  type MerchantRow,
  type ProductCategory,
  type ProductRow,
  type UserRow,
} from '@fraudline/generators';
import type { Kysely } from 'kysely';

const userRecord = (user: UserRow) => ({
  user_id: user.userId,
  first_name: user.firstName,
  last_name: user.lastName,
  email: user.email,
  default_payment: user.defaultPayment,
  phone: user.phone,
  country: user.country,
  created_at: user.createdAt,
});

const productRecord = (product: ProductRow) => ({
  product_id: product.productId,
  product_name: product.productName,
  category: product.category,
  price: product.price,
  updated_at: product.updatedAt,
});

const merchantRecord = (merchant: MerchantRow) => ({
  merchant_id: merchant.merchantId,
  merchant_name: merchant.name,
  category: merchant.category,
  country: merchant.country,
});

/** Stores a generated catalog as it is (e.g. a benchmark world's); rows already stored are kept. */
export async function storeCatalog(db: Kysely<Database>, catalog: Catalog): Promise<void> {
  for (let i = 0; i < catalog.users.length; i += 1000) await insertUsers(db, catalog.users.slice(i, i + 1000).map(userRecord));
  for (let i = 0; i < catalog.products.length; i += 1000) await upsertProducts(db, catalog.products.slice(i, i + 1000).map(productRecord));
  await insertMerchants(db, catalog.merchants.map(merchantRecord));
}

export interface UsersJobResult {
  emailFormat: EmailFormat;
  generated: number;
  inserted: number;
}

/** Seed A's hourly users job: one email format per run, N new users; an existing id is skipped, not an error. */
export async function runUsersJob(
  db: Kysely<Database>,
  options: { seed: number; count?: number; locale?: CatalogLocale; asOf?: Date },
): Promise<UsersJobResult> {
  const { users: existing } = await catalogSizes(db);
  const { emailFormat, users } = generateUsers({
    seed: options.seed,
    count: options.count ?? 10,
    locale: options.locale ?? 'id_ID',
    startIndex: existing + 1,
    asOf: options.asOf,
  });
  const inserted = await insertUsers(db, users.map(userRecord));
  return { emailFormat, generated: users.length, inserted };
}

/**
 * Seed A's hourly products job: N new products across the three categories, plus re-pricing of some existing ones,
 * upserted. Products are sold by merchants, so a catalog without merchants gets its merchants and devices on the first
 * run: after the users and products jobs alone, the producer has everything an order names.
 */
export async function runProductsJob(
  db: Kysely<Database>,
  options: { seed: number; count?: number; asOf?: Date; repriceShare?: number },
): Promise<{ upserted: number; merchants: number; devices: number }> {
  const asOf = options.asOf ?? new Date();
  const { products: existing, merchants: merchantCount } = await catalogSizes(db);
  const sellers = merchantCount === 0 ? await seedMerchantsAndDevices(db, { seed: options.seed }) : { merchants: 0, devices: 0 };
  const fresh = generateProducts({ seed: options.seed, count: options.count ?? 10, startIndex: existing + 1, asOf });
  const stored = (await loadCatalog(db)).products;
  const repriced = repriceProducts(
    stored.map((row) => ({
      productId: row.product_id,
      productName: row.product_name,
      category: row.category as ProductCategory,
      price: row.price,
      updatedAt: row.updated_at,
    })),
    { seed: options.seed, share: options.repriceShare ?? 0.05, asOf },
  );
  const upserted = await upsertProducts(db, [...fresh, ...repriced].map(productRecord));
  return { upserted, ...sellers };
}

export async function seedMerchantsAndDevices(
  db: Kysely<Database>,
  options: { seed: number; merchants?: number; devices?: number },
): Promise<{ merchants: number; devices: number }> {
  const sizes = await catalogSizes(db);
  const merchants = await insertMerchants(
    db,
    generateMerchants({ seed: options.seed, count: options.merchants ?? 50, startIndex: sizes.merchants + 1 }).map(merchantRecord),
  );
  const devices = await insertDevices(
    db,
    generateDevices({ seed: options.seed, count: options.devices ?? 200 }).map((device) => ({
      device_id: device.deviceId,
      device_type: device.deviceType,
      os: device.os,
      browser: device.browser,
    })),
  );
  return { merchants, devices };
}

/** The stored catalog in the generators' shape, so produced orders only reference ids that exist. */
export async function producerCatalog(db: Kysely<Database>): Promise<Catalog> {
  const { users, products, merchants } = await loadCatalog(db);
  if (users.length === 0 || products.length === 0 || merchants.length === 0) {
    throw new Error(`the catalog is empty (users ${users.length}, products ${products.length}, merchants ${merchants.length}); run the catalog jobs first`);
  }
  return {
    users: users.map((user) => ({
      userId: user.user_id,
      firstName: user.first_name,
      lastName: user.last_name,
      email: user.email,
      defaultPayment: user.default_payment as PaymentMethod,
      phone: user.phone ?? '',
      country: user.country,
      createdAt: user.created_at,
    })),
    products: products.map((product) => ({
      productId: product.product_id,
      productName: product.product_name,
      category: product.category as ProductCategory,
      price: product.price,
      updatedAt: product.updated_at,
    })),
    merchants: merchants.map((merchant) => ({
      merchantId: merchant.merchant_id,
      name: merchant.merchant_name,
      category: merchant.category as ProductCategory,
      country: merchant.country,
    })),
  };
}

/** Enough catalog for a realistic stream: merchants and devices, then users and products in runs of the hourly jobs (10 a run). */
export async function seedCatalog(
  db: Kysely<Database>,
  options: { seed: number; users: number; products: number; merchants?: number; devices?: number; asOf?: Date },
): Promise<void> {
  const { seed, asOf } = options;
  await seedMerchantsAndDevices(db, { seed, merchants: options.merchants, devices: options.devices });
  const runs = Math.ceil(Math.max(options.users, options.products) / 10);
  for (let run = 0; run < runs; run++) {
    const users = Math.min(10, options.users - run * 10);
    const products = Math.min(10, options.products - run * 10);
    if (users > 0) await runUsersJob(db, { seed: seed + run, count: users, asOf });
    if (products > 0) await runProductsJob(db, { seed: seed + run, count: products, asOf, repriceShare: 0 });
  }
}
