import { migrateToLatest, openDatabase } from '@fraudline/db';
import { dayBounds } from '@fraudline/extract';
import pg from 'pg';
const oltp = await openDatabase({ kind: 'postgres', url: process.argv[2]! });
await migrateToLatest(oltp.db);
const pool = oltp.pool as pg.Pool;
const { start, end } = dayBounds('2026-03-10', 'Asia/Jakarta');
const n = Number(process.argv[3]);
await pool.query(`INSERT INTO users (user_id, first_name, last_name, email, default_payment, country) SELECT 'U' || i, 'Dédé', 'Ñuñez 李', 'u' || i || '@example.id', 'OVO', 'ID' FROM generate_series(1, 1000) AS i`);
await pool.query(`INSERT INTO products (product_id, product_name, category, price) VALUES ('P1', 'Emas', 'Jewelry', 9999999999999999.99)`);
await pool.query(`INSERT INTO merchants (merchant_id, merchant_name, category, country) VALUES ('M1', 'Toko', 'Jewelry', 'ID')`);
let t = performance.now();
await pool.query(`INSERT INTO orders (order_id, user_id, product_id, merchant_id, quantity, unit_price, amount, currency, payment_method, country, device_id, ip, ip_country, is_vpn, email, created_at, ingested_at)
  SELECT gen_random_uuid(), 'U' || (1 + i % 1000), 'P1', 'M1', 1 + i % 3, (i % 100000) * 1000.25, (1 + i % 3) * (i % 100000) * 1000.25, 'IDR', (ARRAY['OVO','DANA','Gopay','Credit Card'])[1 + i % 4], 'ID', 'DEV' || (i % 50000), ('10.' || (i / 65536) % 256 || '.' || (i / 256) % 256 || '.' || i % 256)::inet, 'ID', i % 17 = 0, CASE WHEN i % 5 = 0 THEN NULL ELSE 'buyer' || i || '@example.id' END,
  $1::timestamptz + (($2::timestamptz - $1::timestamptz) * i / $3), $1::timestamptz + (($2::timestamptz - $1::timestamptz) * i / $3) + interval '1.5 seconds' FROM generate_series(0, $3 - 1) AS i`, [start.toISOString(), end.toISOString(), n]);
console.log('generated in', (performance.now() - t).toFixed(0), 'ms');
await pool.query('ANALYZE orders');
await oltp.close();
