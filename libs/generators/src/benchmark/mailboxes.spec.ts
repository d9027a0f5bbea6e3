import { Mailboxes } from './mailboxes.js';

describe('Mailboxes', () => {
  it('keeps a free address, and numbers a taken one (case-blind) with the lowest free number before its @', () => {
    const mailboxes = new Mailboxes();
    expect(mailboxes.claim('budi.santoso@gmail.com')).toBe('budi.santoso@gmail.com');
    expect(mailboxes.claim('Budi.Santoso@gmail.com')).toBe('Budi.Santoso2@gmail.com');
    expect(mailboxes.claim('budi.santoso@gmail.com')).toBe('budi.santoso3@gmail.com');
    expect(mailboxes.claim('budi.santoso@yahoo.com')).toBe('budi.santoso@yahoo.com');
  });
});
