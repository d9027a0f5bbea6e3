import { isDataError, sqlState } from './storage-errors.js';

describe('isDataError', () => {
  const pgError = (code: string) => Object.assign(new Error('refused'), { code });

  it.each(['22003', '22008', '22P05', '23505', '23514', '54000'])('blames the rows for SQLSTATE %s', (code) => {
    expect(isDataError(pgError(code))).toBe(true);
  });

  it.each(['08006', '40001', '40P01', '57P01', '42P01', '53300'])('blames the database or the link for SQLSTATE %s', (code) => {
    expect(isDataError(pgError(code))).toBe(false);
  });

  it('takes a Node socket error (no SQLSTATE) as not the data', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(sqlState(refused)).toBeUndefined();
    expect(isDataError(refused)).toBe(false);
    expect(isDataError(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isDataError(undefined)).toBe(false);
  });
});
