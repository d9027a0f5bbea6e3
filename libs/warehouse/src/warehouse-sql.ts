// The warehouse port: the few SQL operations the loaders and the transform runner need, whatever engine runs them.

export type Dialect = 'postgres' | 'bigquery';

/** Logical layers of the warehouse (meta holds run logs); each is a Postgres schema or a BigQuery dataset. */
export const LAYERS = ['raw', 'staging', 'core', 'marts', 'meta'] as const;
export type Layer = (typeof LAYERS)[number];

export type Row = Record<string, unknown>;

export interface WarehouseSql {
  readonly dialect: Dialect;
  /** Physical name of a layer: a Postgres schema (prefixed, so it never collides with OLTP schemas) or a BigQuery dataset. */
  layerName(layer: Layer): string;
  /** Fully quoted `layer.table` reference in this dialect. */
  table(layer: Layer, name: string): string;
  query<T extends Row = Row>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /** Runs statements atomically: one transaction on Postgres, one multi-statement transaction script on BigQuery. */
  transaction(statements: string[]): Promise<void>;
  ensureLayers(layers?: readonly Layer[]): Promise<void>;
  close(): Promise<void>;
}
