import { reasonFor } from './index.js';

describe('reasonFor', () => {
  it('names the feature, its value and the push in log-odds', () => {
    expect(reasonFor({ feature: 'user.orders1h', value: 7, contribution: 1.2987 })).toBe('user.orders1h = 7 raised the score by 1.3');
    expect(reasonFor({ feature: 'order.amount', value: 2_345_678.9, contribution: 0.04 })).toBe('order.amount = 2345679 raised the score by 0.04');
    expect(reasonFor({ feature: 'order.ratio', value: 0.123456 })).toBe('order.ratio = 0.1235 raised the score');
  });

  it('words a one-hot input by its category, equal or not', () => {
    expect(reasonFor({ feature: 'order.paymentMethod', value: 1, equals: 'Credit Card', contribution: 0.8 })).toBe('order.paymentMethod = "Credit Card" raised the score by 0.8');
    expect(reasonFor({ feature: 'order.paymentMethod', value: 0, equals: 'Credit Card', contribution: 0.4 })).toBe('order.paymentMethod != "Credit Card" raised the score by 0.4');
  });
});
