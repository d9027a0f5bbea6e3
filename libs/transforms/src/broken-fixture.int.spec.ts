import { goldenFixture, TZ, type Fixture } from '../test/fixture.js';
import { createRawTables, insertRawRows } from '../test/raw-tables.js';
import { ENGINES, normalize, openTestWarehouse, type TestWarehouse } from '../test/warehouses.js';
import { runModels, type RunResult } from './runner.js';

/** The golden fixture plus a Kafka delivery landed twice, an order without a user and an order paid in an unknown way. */
function brokenFixture(): Fixture {
  const fixture = goldenFixture();
  const [firstOrder] = fixture.orders;
  const [firstEvent] = fixture.order_events;
  return {
    ...fixture,
    orders: [...fixture.orders, { ...firstOrder, order_id: 'o90', user_id: null }, { ...firstOrder, order_id: 'o91', payment_method: 'Bitcoin' }],
    order_events: [...fixture.order_events, { ...firstEvent }],
  };
}

describe.each(ENGINES)('a broken fixture on %s', (engine) => {
  let env: TestWarehouse;
  let result: RunResult;
  const lines: string[] = [];

  beforeAll(async () => {
    env = await openTestWarehouse(engine);
    await createRawTables(env.warehouse);
    await insertRawRows(env.warehouse, brokenFixture());
    result = await runModels({ warehouse: env.warehouse, tz: TZ, log: (line) => lines.push(line) });
  }, 600_000);
  afterAll(() => env.close());

  it('fails the run on exactly the tests the broken rows break, with the offending rows', () => {
    expect(result.status).toBe('failed');
    const failed = result.tests
      .filter((test) => test.status === 'fail')
      .map((test) => ({ name: test.name, failingRows: test.failingRows, sample: test.sample.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, normalize(value)]))) }));
    expect(failed).toEqual([
      {
        name: 'unique_raw_order_events_flat_topic_kafka_partition_kafka_offset',
        failingRows: 1,
        sample: [{ topic: 'orders.placed', kafka_partition: '0', kafka_offset: '1', occurrences: '2' }],
      },
      { name: 'not_null_stg_orders_user_id', failingRows: 1, sample: [expect.objectContaining({ order_id: 'o90', user_id: null })] },
      { name: 'accepted_values_stg_orders_payment_method', failingRows: 1, sample: [expect.objectContaining({ order_id: 'o91', payment_method: 'Bitcoin' })] },
    ]);
  });

  it('prints the failing rows', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        '  FAIL  not_null_stg_orders_user_id (1 failing rows)',
        expect.stringMatching(/^ {8}\{.*"order_id":"o90".*"user_id":null/),
        '  FAIL  accepted_values_stg_orders_payment_method (1 failing rows)',
        expect.stringMatching(/^ {8}\{.*"order_id":"o91".*"payment_method":"Bitcoin"/),
      ]),
    );
  });

  it('skips what depends on a model whose blocking test failed, and builds the rest', () => {
    const status = Object.fromEntries(result.models.map((model) => [model.name, model.status]));
    expect(status).toMatchObject({
      stg_orders: 'success',
      raw_order_events_flat: 'success',
      stg_users: 'success',
      dim_users: 'success',
      dim_merchant: 'success',
      fct_orders: 'skipped',
      mart_user_fraud_status: 'skipped',
      stg_transactions: 'skipped',
      vw_customer_fraud_summary: 'skipped',
    });
    expect(result.tests.filter((test) => test.model === 'fct_orders').every((test) => test.status === 'skipped')).toBe(true);
  });
});
