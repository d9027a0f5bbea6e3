import { insertMerchants, insertUsers, migrateToLatest, openDatabase, upsertProducts, type OltpDatabase } from '@fraudline/db';
import type { OrderOutcomeV1Input } from '@fraudline/events';
import { createTestDatabase, type TestDatabase } from '@fraudline/testing';
import { v7 as uuidv7 } from 'uuid';
import { importOutcomeCsv, OutcomeCsvError } from './csv-import.js';
import { OutcomeRejectedError, recordOutcome } from './outcome-intake.js';

describe('outcome intake on a real Postgres', () => {
  let testDb: TestDatabase;
  let oltp: OltpDatabase;
  const orderIds = Array.from({ length: 6 }, () => uuidv7());

  beforeAll(async () => {
    testDb = await createTestDatabase('outcomes');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrateToLatest(oltp.db);
    await insertUsers(oltp.db, [{ user_id: 'U1', first_name: 'Sri', last_name: 'W', email: 'sri@example.co.id', default_payment: 'OVO', phone: null, country: 'ID' }]);
    await upsertProducts(oltp.db, [{ product_id: 'P1', product_name: 'Buku', category: 'Books', price: '100000' }]);
    await insertMerchants(oltp.db, [{ merchant_id: 'M1', merchant_name: 'Toko', category: 'Books', country: 'ID' }]);
    await oltp.db
      .insertInto('orders')
      .values(
        orderIds.map((order_id) => ({
          order_id,
          user_id: 'U1',
          product_id: 'P1',
          merchant_id: 'M1',
          quantity: 1,
          unit_price: '100000',
          amount: '100000',
          currency: 'IDR',
          payment_method: 'OVO',
          country: 'ID',
          device_id: 'D1',
          ip: '10.0.0.1',
          ip_country: 'ID',
          is_vpn: false,
          email: null,
          created_at: '2026-11-20T10:00:00+07:00',
        })),
      )
      .execute();
  }, 60_000);
  afterAll(async () => {
    await oltp?.close();
    await testDb?.drop();
  });

  const verdict = (orderId: string) => oltp.db.selectFrom('order_verdicts').select(['label', 'kind']).where('order_id', '=', orderId).executeTakeFirst();
  const when = { occurredAt: '2026-11-25T10:00:00+07:00', knownAt: '2026-11-27T09:00:00+07:00' };

  it('records an outcome given in code once, and refuses a bad one naming the field', async () => {
    const chargeback: OrderOutcomeV1Input = {
      type: 'OrderOutcome',
      version: 1,
      outcomeId: 'lib-cb-1',
      orderId: orderIds[0]!,
      kind: 'chargeback',
      reasonCode: '10.4',
      category: 'fraud',
      amount: '100000',
      ...when,
    };
    expect(await recordOutcome(oltp.db, chargeback)).toBe('recorded');
    expect(await recordOutcome(oltp.db, chargeback)).toBe('unchanged');
    expect(await verdict(orderIds[0]!)).toEqual({ label: 'fraud', kind: 'chargeback' });

    const refusal = (input: unknown) => recordOutcome(oltp.db, input as OrderOutcomeV1Input).catch((error: unknown) => error as OutcomeRejectedError);
    const other = await refusal({ ...chargeback, amount: '5' });
    expect(other).toMatchObject({ kind: 'conflicting_duplicate', issues: [{ field: 'outcomeId' }] });
    const unknown = await refusal({ ...chargeback, outcomeId: 'lib-cb-2', orderId: uuidv7() });
    expect(unknown).toMatchObject({ kind: 'unknown_reference', issues: [{ field: 'orderId' }] });
    const invalid = await refusal({ ...chargeback, outcomeId: 'lib-cb-3', category: 'maybe' });
    expect(invalid).toBeInstanceOf(OutcomeRejectedError);
    expect((invalid as OutcomeRejectedError).issues.map((issue) => issue.field)).toEqual(['category']);
  });

  it('imports a CSV of every kind, keeps each bad row with its line and reason, and a re-import changes nothing', async () => {
    const csv = [
      'outcome_id,order_id,kind,occurred_at,known_at,reason_code,category,amount,verdict,analyst,note',
      `csv-1,${orderIds[1]},chargeback,2026-11-25T10:00:00+07:00,2026-11-28T10:00:00+07:00,10.4,fraud,100000,,,`,
      `csv-2,${orderIds[1]},analyst_verdict,2026-11-29T10:00:00+07:00,2026-11-29T10:00:00+07:00,,,,legitimate,ayu,"friendly fraud, customer confirmed"`,
      `csv-3,${orderIds[2]},fraud_refund,2026-11-21T10:00:00+07:00,2026-11-21T11:00:00+07:00,,,100000,,,`,
      `csv-4,${orderIds[3]},chargeback,2026-11-25T10:00:00+07:00,2026-11-28T10:00:00+07:00,13.1,dispute,100000,,,`,
      `csv-5,${orderIds[4]},chargeback,2026-11-25T10:00:00+07:00,2026-11-28T10:00:00+07:00,10.4,maybe,100000,,,`,
      `csv-6,${uuidv7()},customer_confirmation,2026-11-25T10:00:00+07:00,2026-11-28T10:00:00+07:00,,,,,,`,
      `csv-7,${orderIds[5]},customer_confirmation,2026-11-25T10:00:00+07:00,2026-11-24T10:00:00+07:00,,,,,,`,
    ].join('\n');
    const progress: number[] = [];
    const first = await importOutcomeCsv(oltp.db, csv, '/tmp/november.csv', (done) => progress.push(done), 3);
    expect(progress).toEqual([3, 6, 7]);
    expect({ recorded: first.recorded, unchanged: first.unchanged }).toEqual({ recorded: 4, unchanged: 0 });
    expect(first.rejected.map((row) => [row.offset, row.error_kind, row.error[0]?.field])).toEqual([
      ['6', 'schema_violation', 'category'],
      ['7', 'unknown_reference', 'orderId'],
      ['8', 'schema_violation', 'knownAt'],
    ]);
    const kept = await oltp.db.selectFrom('raw.rejected_events').select(['offset', 'error_kind']).where('topic', '=', 'csv:november.csv').orderBy('offset').execute();
    expect(kept.map((row) => [String(row.offset), row.error_kind])).toEqual([
      ['6', 'schema_violation'],
      ['7', 'unknown_reference'],
      ['8', 'schema_violation'],
    ]);

    // The analyst's later verdict overrides the chargeback; a service dispute labels nothing.
    expect(await verdict(orderIds[1]!)).toEqual({ label: 'legitimate', kind: 'analyst_verdict' });
    expect(await verdict(orderIds[2]!)).toEqual({ label: 'fraud', kind: 'fraud_refund' });
    expect(await verdict(orderIds[3]!)).toBeUndefined();
    const note = await oltp.db.selectFrom('order_outcomes').select('message').where('outcome_id', '=', 'csv-2').executeTakeFirstOrThrow();
    expect(note.message).toMatchObject({ note: 'friendly fraud, customer confirmed', source: 'csv:november.csv' });

    const again = await importOutcomeCsv(oltp.db, csv, '/tmp/november.csv');
    expect({ recorded: again.recorded, unchanged: again.unchanged, rejected: again.rejected.length }).toEqual({ recorded: 0, unchanged: 4, rejected: 3 });
    expect(await oltp.db.selectFrom('raw.rejected_events').select('id').where('topic', '=', 'csv:november.csv').execute()).toHaveLength(3);
  });

  it('refuses a CSV whose header it cannot read, naming the columns', async () => {
    await expect(importOutcomeCsv(oltp.db, 'outcome_id,order,kind\n', 'x.csv')).rejects.toThrow(OutcomeCsvError);
    await expect(importOutcomeCsv(oltp.db, 'outcome_id,order,kind\n', 'x.csv')).rejects.toThrow('x.csv: unknown column(s) order');
    await expect(importOutcomeCsv(oltp.db, 'outcome_id,order_id,kind\n', 'x.csv')).rejects.toThrow('missing column(s) occurred_at, known_at');
  });
});
