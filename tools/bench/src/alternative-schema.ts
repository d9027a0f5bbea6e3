// The schema change the stream bench measures beside the current schema: what the subscriber's write costs without its two dearest per-order checks.
/**
 * Applied on top of the latest migration, in a database of its own. The store call and its COPY column lists stay as
 * they are; only what Postgres does per row changes:
 * - no foreign keys on orders (users, products, merchants) or decisions (orders): the subscriber already rejects an
 *   order naming an id not in the catalog (from its features query, before the write), nothing deletes catalog rows,
 *   and the decision is written in the order's own transaction by the only writer.
 * (It also landed the message as `json` instead of `jsonb`; since migration 0006 the schema itself keeps the text as
 * received.)
 */
export const ALTERNATIVE_SCHEMA = [
  'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey, DROP CONSTRAINT orders_product_id_fkey, DROP CONSTRAINT orders_merchant_id_fkey',
  'ALTER TABLE decisions DROP CONSTRAINT decisions_order_id_fkey',
];
