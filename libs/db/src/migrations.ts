// Versioned OLTP migrations, kept in code so a built package carries them and every database agrees with schema.ts.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Runs statements one by one: the extended query protocol allows a single statement per query. */
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const oltpSchema: Migration = {
  up: (db) =>
    run(db, [
      `CREATE TABLE users (
        user_id text PRIMARY KEY,
        first_name text NOT NULL,
        last_name text NOT NULL,
        email text NOT NULL,
        default_payment text NOT NULL,
        phone text,
        country char(2) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE INDEX users_created_at_idx ON users (created_at)`,
      `CREATE TABLE products (
        product_id text PRIMARY KEY,
        product_name text NOT NULL,
        category text NOT NULL,
        price numeric(18,2) NOT NULL CHECK (price >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE INDEX products_updated_at_idx ON products (updated_at)`,
      `CREATE TABLE merchants (
        merchant_id text PRIMARY KEY,
        merchant_name text NOT NULL,
        category text NOT NULL,
        country char(2) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE devices (
        device_id text PRIMARY KEY,
        device_type text NOT NULL,
        os text NOT NULL,
        browser text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE orders (
        order_id uuid PRIMARY KEY,
        user_id text NOT NULL REFERENCES users,
        product_id text NOT NULL REFERENCES products,
        merchant_id text NOT NULL REFERENCES merchants,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price numeric(18,2) NOT NULL CHECK (unit_price >= 0),
        amount numeric(18,2) NOT NULL CHECK (amount >= 0),
        currency char(3) NOT NULL,
        payment_method text NOT NULL,
        country char(2) NOT NULL,
        device_id text NOT NULL,
        ip inet NOT NULL,
        ip_country char(2) NOT NULL,
        is_vpn boolean NOT NULL,
        email text,
        created_at timestamptz NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE INDEX orders_user_time_idx ON orders (user_id, created_at)`,
      `CREATE INDEX orders_device_time_idx ON orders (device_id, created_at)`,
      `CREATE INDEX orders_ip_time_idx ON orders (ip, created_at)`,
      `CREATE INDEX orders_created_at_idx ON orders (created_at)`,
      `CREATE TABLE decisions (
        order_id uuid PRIMARY KEY REFERENCES orders,
        decision text NOT NULL CHECK (decision IN ('approve', 'review', 'decline')),
        score smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
        status text NOT NULL CHECK (status IN ('fraud', 'genuine')),
        is_fraud boolean NOT NULL,
        reasons jsonb NOT NULL,
        ruleset_id text NOT NULL,
        ruleset_version integer NOT NULL,
        latency_ms numeric(12,3) NOT NULL,
        order_created_at timestamptz NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE INDEX decisions_order_created_at_idx ON decisions (order_created_at)`,
      `CREATE TABLE order_labels (
        order_id uuid PRIMARY KEY REFERENCES orders,
        pattern text NOT NULL,
        is_fraud boolean NOT NULL)`,
      `CREATE SCHEMA IF NOT EXISTS raw`,
      `CREATE TABLE raw.order_events (
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        message_key text,
        order_id uuid NOT NULL UNIQUE,
        message jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition, "offset"))`,
      `CREATE INDEX order_events_received_at_idx ON raw.order_events (received_at)`,
      `CREATE INDEX users_updated_at_idx ON users (updated_at)`,
      `CREATE INDEX merchants_updated_at_idx ON merchants (updated_at)`,
      `CREATE TABLE raw.rejected_events (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        message_key text,
        payload text NOT NULL,
        payload_encoding text NOT NULL CHECK (payload_encoding IN ('utf8', 'base64')),
        error_kind text NOT NULL,
        error jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (topic, partition, "offset"))`,
      `CREATE TABLE rulesets (
        ruleset_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        status text NOT NULL CHECK (status IN ('draft', 'active', 'retired')),
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        PRIMARY KEY (ruleset_id, version))`,
      `CREATE UNIQUE INDEX rulesets_one_active_idx ON rulesets ((true)) WHERE status = 'active'`,
      `CREATE TABLE risk_list (
        user_id text PRIMARY KEY,
        risk_status text NOT NULL CHECK (risk_status IN ('Blacklist', 'Watchlist', 'Good Standing')),
        fraud_orders integer NOT NULL,
        total_orders integer NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE load_ledger (
        table_name text NOT NULL,
        logical_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        row_count bigint,
        checksum text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        error text,
        attempts integer NOT NULL DEFAULT 1,
        PRIMARY KEY (table_name, logical_date))`,
    ]),
  down: (db) =>
    run(db, [
      'DROP TABLE load_ledger',
      'DROP TABLE risk_list',
      'DROP TABLE rulesets',
      'DROP TABLE raw.rejected_events',
      'DROP TABLE raw.order_events',
      'DROP TABLE order_labels',
      'DROP TABLE decisions',
      'DROP TABLE orders',
      'DROP TABLE devices',
      'DROP TABLE merchants',
      'DROP TABLE products',
      'DROP TABLE users',
    ]),
};

/**
 * What the features query reads on every batch must cost the same however long a user's history is:
 * - an index per feature key, so Postgres combines four index scans for a small batch instead of reading every
 *   order of the day (e-mails match case-blind);
 * - lifetime totals per user, kept by the database itself: a statement trigger adds each INSERT's or COPY's new
 *   orders (rows skipped by ON CONFLICT are not in its transition table), so a lookup is one row per user instead
 *   of summing all of that user's orders.
 */
const featureLookups: Migration = {
  up: (db) =>
    run(db, [
      'CREATE INDEX orders_email_time_idx ON orders (lower(email), created_at) WHERE email IS NOT NULL',
      `CREATE TABLE user_order_totals (
        user_id text PRIMARY KEY,
        orders bigint NOT NULL CHECK (orders >= 0),
        total_amount numeric(20,2) NOT NULL)`,
      `CREATE FUNCTION add_user_order_totals() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO user_order_totals AS t (user_id, orders, total_amount)
        SELECT user_id, count(*), sum(amount) FROM new_orders GROUP BY user_id ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET orders = t.orders + excluded.orders, total_amount = t.total_amount + excluded.total_amount;
        RETURN NULL;
      END $$`,
      `CREATE TRIGGER orders_add_user_order_totals AFTER INSERT ON orders
        REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION add_user_order_totals()`,
      'INSERT INTO user_order_totals (user_id, orders, total_amount) SELECT user_id, count(*), sum(amount) FROM orders GROUP BY user_id',
    ]),
  down: (db) =>
    run(db, [
      'DROP TRIGGER orders_add_user_order_totals ON orders',
      'DROP FUNCTION add_user_order_totals()',
      'DROP TABLE user_order_totals',
      'DROP INDEX orders_email_time_idx',
    ]),
};

/** The generator's ground truth, as every label reads it: the `simulation` object of the landed message. */
const LABELS_FROM_LANDING = `SELECT order_id, message->'simulation'->>'pattern' AS pattern, (message->'simulation'->>'isFraud')::boolean AS is_fraud
  FROM raw.order_events WHERE message ? 'simulation'`;

/**
 * Ground truth already travels in the landed message, so a labels table stored it twice and cost every order a row,
 * a key and a foreign-key check. It becomes a view of the raw landing; the table is dropped only once its rows are
 * shown to equal the view's, so no label can be lost.
 */
const labelsFromLanding: Migration = {
  up: (db) =>
    run(db, [
      `DO $$ BEGIN
        IF EXISTS (SELECT order_id, pattern, is_fraud FROM order_labels EXCEPT ${LABELS_FROM_LANDING}) THEN
          RAISE EXCEPTION 'order_labels holds labels that raw.order_events does not carry; not migrating';
        END IF;
      END $$`,
      'DROP TABLE order_labels',
      `CREATE VIEW order_labels AS ${LABELS_FROM_LANDING}`,
    ]),
  down: (db) =>
    run(db, [
      'ALTER VIEW order_labels RENAME TO order_labels_view',
      'CREATE TABLE order_labels (order_id uuid PRIMARY KEY REFERENCES orders, pattern text NOT NULL, is_fraud boolean NOT NULL)',
      'INSERT INTO order_labels SELECT * FROM order_labels_view',
      'DROP VIEW order_labels_view',
    ]),
};

/** A rule that fails at run time counts as not fired; the decision keeps which rule failed and why. */
const decisionRuleFailures: Migration = {
  up: (db) => run(db, ['ALTER TABLE decisions ADD COLUMN rule_failures jsonb']),
  down: (db) => run(db, ['ALTER TABLE decisions DROP COLUMN rule_failures']),
};

/**
 * Outcomes: facts about an order learnt after its decision, each with its own event time and the time it became known.
 * `order_verdicts` is every order's current label: the latest analyst verdict wins, else any fraud outcome, else a
 * legitimate one. A chargeback for a service dispute carries no label.
 */
const orderOutcomes: Migration = {
  up: (db) =>
    run(db, [
      `CREATE TABLE order_outcomes (
        outcome_id text PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders,
        kind text NOT NULL CHECK (kind IN ('chargeback', 'fraud_refund', 'analyst_verdict', 'customer_confirmation')),
        label text CHECK (label IN ('fraud', 'legitimate')),
        amount numeric(18,2),
        occurred_at timestamptz NOT NULL,
        known_at timestamptz NOT NULL,
        source text,
        message jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK (known_at >= occurred_at))`,
      'CREATE INDEX order_outcomes_order_idx ON order_outcomes (order_id, known_at)',
      'CREATE INDEX order_outcomes_known_at_idx ON order_outcomes (known_at)',
      `CREATE VIEW order_verdicts AS
        SELECT DISTINCT ON (order_id) order_id, label, kind, outcome_id, known_at
        FROM order_outcomes WHERE label IS NOT NULL
        ORDER BY order_id, (kind = 'analyst_verdict') DESC, CASE WHEN kind = 'analyst_verdict' THEN known_at END DESC NULLS LAST,
                 (label = 'fraud') DESC, known_at, outcome_id`,
    ]),
  down: (db) => run(db, ['DROP VIEW order_verdicts', 'DROP TABLE order_outcomes']),
};

/** The view of the generator's ground truth, reading the landing's message text as JSON. */
const LABELS_FROM_TEXT_LANDING = `SELECT order_id, message::jsonb->'simulation'->>'pattern' AS pattern, (message::jsonb->'simulation'->>'isFraud')::boolean AS is_fraud
  FROM raw.order_events WHERE message::jsonb ? 'simulation'`;

/**
 * The outcome loop's storage:
 * - the landing keeps each message's text exactly as received (jsonb re-spelt it), so a replay starts from what arrived;
 * - every published risk list is a version whose entries are kept, so a decision names the list it read and a
 *   backtest reads the same one;
 * - each decision keeps the order it was decided in (`decision_seq`, a per-process hybrid clock in microseconds), the
 *   risk-list version and the feature values its rules read;
 * - shadow rulesets decide beside the live one; their decisions are stored in the same transaction, once per order.
 */
const outcomeLoop: Migration = {
  up: (db) =>
    run(db, [
      'DROP VIEW order_labels',
      'ALTER TABLE raw.order_events ALTER COLUMN message TYPE text USING message::text',
      `CREATE VIEW order_labels AS ${LABELS_FROM_TEXT_LANDING}`,
      `CREATE TABLE risk_list_versions (
        version integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source text NOT NULL,
        entries integer NOT NULL CHECK (entries >= 0),
        published_at timestamptz NOT NULL)`,
      `CREATE TABLE risk_list_history (
        version integer NOT NULL REFERENCES risk_list_versions,
        user_id text NOT NULL,
        risk_status text NOT NULL CHECK (risk_status IN ('Blacklist', 'Watchlist')),
        PRIMARY KEY (version, user_id))`,
      'ALTER TABLE risk_list ADD COLUMN version integer REFERENCES risk_list_versions',
      `INSERT INTO risk_list_versions (source, entries, published_at)
        SELECT 'migration 0006', count(*), max(published_at) FROM risk_list HAVING count(*) > 0`,
      `INSERT INTO risk_list_history (version, user_id, risk_status)
        SELECT v.version, r.user_id, r.risk_status FROM risk_list r, risk_list_versions v WHERE r.risk_status <> 'Good Standing'`,
      'UPDATE risk_list SET version = (SELECT max(version) FROM risk_list_versions)',
      `ALTER TABLE decisions ADD COLUMN decision_seq bigint, ADD COLUMN risk_list_version integer, ADD COLUMN features jsonb`,
      'CREATE INDEX decisions_decision_seq_idx ON decisions (decision_seq)',
      'ALTER TABLE rulesets DROP CONSTRAINT rulesets_status_check',
      `ALTER TABLE rulesets ADD CONSTRAINT rulesets_status_check CHECK (status IN ('draft', 'active', 'shadow', 'retired'))`,
      `CREATE TABLE shadow_decisions (
        order_id uuid NOT NULL REFERENCES orders,
        ruleset_id text NOT NULL,
        ruleset_version integer NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approve', 'review', 'decline')),
        score smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
        reasons jsonb NOT NULL,
        rule_failures jsonb,
        order_created_at timestamptz NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (order_id, ruleset_id, ruleset_version))`,
      'CREATE INDEX shadow_decisions_order_created_at_idx ON shadow_decisions (order_created_at)',
    ]),
  down: (db) =>
    run(db, [
      'DROP TABLE shadow_decisions',
      `UPDATE rulesets SET status = 'retired' WHERE status = 'shadow'`,
      'ALTER TABLE rulesets DROP CONSTRAINT rulesets_status_check',
      `ALTER TABLE rulesets ADD CONSTRAINT rulesets_status_check CHECK (status IN ('draft', 'active', 'retired'))`,
      'ALTER TABLE decisions DROP COLUMN decision_seq, DROP COLUMN risk_list_version, DROP COLUMN features',
      'ALTER TABLE risk_list DROP COLUMN version',
      'DROP TABLE risk_list_history',
      'DROP TABLE risk_list_versions',
      'DROP VIEW order_labels',
      'ALTER TABLE raw.order_events ALTER COLUMN message TYPE jsonb USING message::jsonb',
      `CREATE VIEW order_labels AS ${LABELS_FROM_LANDING}`,
    ]),
};

/** The keys a fraud report is filed under, from the reported order's row. */
const REPORTED_KEYS = `(VALUES ('merchant', o.merchant_id), ('product', o.product_id), ('device', o.device_id), ('ip', host(o.ip)),
                              ('email_domain', substring(lower(o.email) from '@([^@]*)$'))) AS e(entity, key)`;

/** Every fraud-labelled outcome among `outcomes` (aliased n), filed under each key of its order; the earliest known first. */
const reportsOf = (outcomes: string) => `SELECT DISTINCT ON (e.entity, e.key, n.order_id) e.entity, e.key, n.order_id, o.created_at, n.known_at, n.recorded_at
  FROM ${outcomes} n JOIN orders o USING (order_id) CROSS JOIN LATERAL ${REPORTED_KEYS}
  WHERE n.label = 'fraud' AND e.key IS NOT NULL
  ORDER BY e.entity, e.key, n.order_id, n.known_at`;

/** Each user's orders per device, IP country and payment method among `orders`. */
const seenIn = (orders: string) => `SELECT user_id, kind, value, count(*) AS orders FROM ${orders}
  CROSS JOIN LATERAL (VALUES ('device', device_id), ('ip_country', ip_country), ('payment_method', payment_method)) AS v(kind, value)
  GROUP BY user_id, kind, value ORDER BY user_id, kind, value`;

/** Orders per merchant and UTC day among `orders`: the denominator of a merchant's fraud rate. */
const merchantDaysIn = (orders: string) => `SELECT merchant_id, (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS orders FROM ${orders}
  GROUP BY merchant_id, day ORDER BY merchant_id, day`;

/**
 * Detection features that need more than a day of history, kept by the database as orders and outcomes arrive, so a
 * batch reads one row per key instead of an account's or a merchant's whole history:
 * - an account's profile: Σ amount² (for the spread of its amounts, exact in numeric), its latest order time, and
 *   how many of its orders used each device, IP country and payment method (`user_seen_values`);
 * - fraud reports per entity (merchant, product, device, IP, e-mail domain): each fraud-labelled outcome, filed under
 *   every key of its order with when the order was placed, when the outcome became known and when it was stored, so
 *   features count only reports known before the order and a replay only those stored before the decision;
 * - orders per merchant and UTC day, so a merchant's reports can be read as a rate of its recent orders;
 * - learned scoring models, versioned like rulesets (one live at a time), and the model each decision was scored by.
 */
const detectionFeatures: Migration = {
  up: (db) =>
    run(db, [
      `ALTER TABLE user_order_totals ADD COLUMN amount_squares numeric(40,4) NOT NULL DEFAULT 0, ADD COLUMN last_order_at timestamptz`,
      `UPDATE user_order_totals t SET amount_squares = s.squares, last_order_at = s.last_order_at
         FROM (SELECT user_id, sum(amount * amount) AS squares, max(created_at) AS last_order_at FROM orders GROUP BY user_id) s
        WHERE s.user_id = t.user_id`,
      `CREATE TABLE user_seen_values (
        user_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('device', 'ip_country', 'payment_method')),
        value text NOT NULL,
        orders bigint NOT NULL CHECK (orders > 0),
        PRIMARY KEY (user_id, kind, value))`,
      `INSERT INTO user_seen_values (user_id, kind, value, orders) ${seenIn('orders')}`,
      `CREATE TABLE merchant_daily_orders (
        merchant_id text NOT NULL,
        day date NOT NULL,
        orders bigint NOT NULL CHECK (orders > 0),
        PRIMARY KEY (merchant_id, day))`,
      `INSERT INTO merchant_daily_orders (merchant_id, day, orders) ${merchantDaysIn('orders')}`,
      `CREATE OR REPLACE FUNCTION add_user_order_totals() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO user_order_totals AS t (user_id, orders, total_amount, amount_squares, last_order_at)
        SELECT user_id, count(*), sum(amount), sum(amount * amount), max(created_at) FROM new_orders GROUP BY user_id ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET orders = t.orders + excluded.orders, total_amount = t.total_amount + excluded.total_amount,
          amount_squares = t.amount_squares + excluded.amount_squares, last_order_at = greatest(t.last_order_at, excluded.last_order_at);
        INSERT INTO user_seen_values AS s (user_id, kind, value, orders) ${seenIn('new_orders')}
        ON CONFLICT (user_id, kind, value) DO UPDATE SET orders = s.orders + excluded.orders;
        INSERT INTO merchant_daily_orders AS m (merchant_id, day, orders) ${merchantDaysIn('new_orders')}
        ON CONFLICT (merchant_id, day) DO UPDATE SET orders = m.orders + excluded.orders;
        RETURN NULL;
      END $$`,
      `CREATE TABLE fraud_reports (
        entity text NOT NULL CHECK (entity IN ('merchant', 'product', 'device', 'ip', 'email_domain')),
        key text NOT NULL,
        order_id uuid NOT NULL REFERENCES orders,
        placed_at timestamptz NOT NULL,
        known_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (entity, key, order_id))`,
      'CREATE INDEX fraud_reports_key_known_at_idx ON fraud_reports (entity, key, known_at)',
      'CREATE INDEX fraud_reports_known_at_idx ON fraud_reports (known_at)',
      `INSERT INTO fraud_reports (entity, key, order_id, placed_at, known_at, recorded_at) ${reportsOf('order_outcomes')}`,
      `CREATE FUNCTION add_fraud_reports() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO fraud_reports (entity, key, order_id, placed_at, known_at, recorded_at) ${reportsOf('new_outcomes')}
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`,
      `CREATE TRIGGER order_outcomes_add_fraud_reports AFTER INSERT ON order_outcomes
        REFERENCING NEW TABLE AS new_outcomes FOR EACH STATEMENT EXECUTE FUNCTION add_fraud_reports()`,
      `CREATE TABLE scoring_models (
        model_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        document jsonb NOT NULL,
        status text NOT NULL DEFAULT 'trained' CHECK (status IN ('trained', 'active', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        PRIMARY KEY (model_id, version))`,
      `CREATE UNIQUE INDEX scoring_models_one_active_idx ON scoring_models ((true)) WHERE status = 'active'`,
      'ALTER TABLE decisions ADD COLUMN model_id text, ADD COLUMN model_version integer',
    ]),
  down: (db) =>
    run(db, [
      'ALTER TABLE decisions DROP COLUMN model_id, DROP COLUMN model_version',
      'DROP TABLE scoring_models',
      'DROP TRIGGER order_outcomes_add_fraud_reports ON order_outcomes',
      'DROP FUNCTION add_fraud_reports()',
      'DROP TABLE fraud_reports',
      `CREATE OR REPLACE FUNCTION add_user_order_totals() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO user_order_totals AS t (user_id, orders, total_amount)
        SELECT user_id, count(*), sum(amount) FROM new_orders GROUP BY user_id ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET orders = t.orders + excluded.orders, total_amount = t.total_amount + excluded.total_amount;
        RETURN NULL;
      END $$`,
      'DROP TABLE merchant_daily_orders',
      'DROP TABLE user_seen_values',
      'ALTER TABLE user_order_totals DROP COLUMN amount_squares, DROP COLUMN last_order_at',
    ]),
};

export const migrations: Record<string, Migration> = {
  '0001_oltp_schema': oltpSchema,
  '0002_feature_lookups': featureLookups,
  '0003_labels_from_landing': labelsFromLanding,
  '0004_decision_rule_failures': decisionRuleFailures,
  '0005_order_outcomes': orderOutcomes,
  '0006_outcome_loop': outcomeLoop,
  '0007_detection_features': detectionFeatures,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
