import { openDatabase } from '@fraudline/db';
import { dayBounds, extractSource, SOURCE_TABLES } from '@fraudline/extract';
import pg from 'pg';
const url = process.argv[2]!;
const oltp = await openDatabase({ kind: 'postgres', url });
const src = extractSource(oltp);
const b = dayBounds('2026-03-10', 'Asia/Jakarta');
let t = performance.now(); let n = 0;
for await (const r of src.rows(SOURCE_TABLES.orders, b)) { n++; }
console.log('stream rows', n, (performance.now() - t).toFixed(0), 'ms', Math.round(process.resourceUsage().maxRSS/1024), 'MB');
const pool = oltp.pool as pg.Pool;
t = performance.now();
await pool.query(`select count(*) from orders where created_at >= $1 and created_at < $2`, [b.start.toISOString(), b.end.toISOString()]);
console.log('count', (performance.now() - t).toFixed(0));
await oltp.close();
