// Tells a database error caused by the rows being written (retrying cannot help) from one of the database or the link.

/**
 * SQLSTATE classes that blame the data: 22 data exception (numeric overflow, a time out of range, an escape jsonb
 * cannot hold), 23 integrity constraint violation, 54 program limit exceeded (a value too large). Any other error (a
 * refused or cut connection, a serialization failure, a missing table) is the database's or the link's, and a retry,
 * or an operator, mends it.
 */
const DATA_ERROR_CLASSES = new Set(['22', '23', '54']);

/** The SQLSTATE of a Postgres (pg or PGlite) error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True when the rows written caused the error, so writing them again fails the same way. */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && DATA_ERROR_CLASSES.has(state.slice(0, 2));
}
