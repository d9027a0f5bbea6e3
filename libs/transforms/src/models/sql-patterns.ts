// SQL shapes several models share, written once in SQL both engines accept.

export interface LatestPerKey {
  /** A relation or a parenthesized subquery. */
  from: string;
  key: readonly string[];
  /** Columns ordering the versions of a key, newest first (NULLs count as oldest); the first row wins. */
  newestFirst: readonly string[];
  /** Output expressions, evaluated on the winning row. */
  columns: readonly string[];
}

/** One row per key: the latest version of it. Unlike DISTINCT over whole rows, a key updated twice appears once. */
export function latestPerKey({ from, key, newestFirst, columns }: LatestPerKey): string {
  const order = newestFirst.map((column) => `${column} DESC NULLS LAST`).join(', ');
  return `SELECT
  ${columns.join(',\n  ')}
FROM (
  SELECT versions.*, ROW_NUMBER() OVER (PARTITION BY ${key.join(', ')} ORDER BY ${order}) AS version_rank
  FROM ${from} AS versions
) AS ranked
WHERE version_rank = 1`;
}
