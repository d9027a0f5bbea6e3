// Gives every benchmark account its own address: generateUsers' formats collide, and accounts sharing an address are a fraud signal the world must not fake.

/** Addresses handed out so far (case-blind); a taken one gets the lowest free number before its '@', as a mail provider would. */
export class Mailboxes {
  readonly #taken = new Set<string>();

  claim(email: string): string {
    const at = email.lastIndexOf('@');
    let candidate = email;
    for (let n = 2; this.#taken.has(candidate.toLowerCase()); n++) candidate = `${email.slice(0, at)}${n}${email.slice(at)}`;
    this.#taken.add(candidate.toLowerCase());
    return candidate;
  }
}
