import { toPositional } from './postgres-warehouse.js';

describe('toPositional', () => {
  it('turns named parameters into numbered ones, reusing a number for a repeated name', () => {
    expect(toPositional('select * from t where d >= @from and d < @to and x <> @from', { from: 'a', to: 'b' })).toEqual({
      text: 'select * from t where d >= $1 and d < $2 and x <> $1',
      values: ['a', 'b'],
    });
  });

  it('leaves unknown names, e-mail addresses and casts alone', () => {
    expect(toPositional("select 'a@b.c', @n::int, @other", { n: 1 })).toEqual({ text: "select 'a@b.c', $1::int, @other", values: [1] });
  });
});
