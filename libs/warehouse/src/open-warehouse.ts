// Chooses the warehouse from configuration: BigQuery (or its emulator), a Postgres server, or the embedded PGlite database.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { bigQueryWarehouse } from './bigquery-warehouse.js';
import type { Warehouse } from './partition-loader.js';
import { pgliteWarehouse, postgresWarehouse } from './postgres-warehouse.js';

export type WarehouseConfig =
  | { kind: 'bigquery'; projectId: string; emulatorHost?: string; location?: string; prefix?: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'postgres'; pool: pg.Pool }
  | { kind: 'pglite'; lite: PGlite };

export function openWarehouse(config: WarehouseConfig): Warehouse {
  switch (config.kind) {
    case 'bigquery':
      return bigQueryWarehouse({ projectId: config.projectId, emulatorHost: config.emulatorHost, location: config.location, prefix: config.prefix });
    case 'pglite':
      return pgliteWarehouse(config.lite);
    case 'postgres':
      return 'pool' in config ? postgresWarehouse(config.pool) : postgresWarehouse(new pg.Pool({ connectionString: config.url, max: 4 }), { ownsPool: true });
  }
}

export interface WarehouseSettings {
  WAREHOUSE: 'postgres' | 'bigquery';
  WAREHOUSE_DATABASE_URL?: string;
  BIGQUERY_PROJECT?: string;
  BIGQUERY_EMULATOR_HOST?: string;
  BIGQUERY_LOCATION?: string;
  /** Prepended to every dataset name, so several pipelines (or test runs) can share one project. */
  BIGQUERY_DATASET_PREFIX?: string;
}

/** The configured warehouse; a Postgres warehouse defaults to the OLTP database itself (its pool, or its PGlite engine). */
export function warehouseFromSettings(settings: WarehouseSettings, oltp: { pool: pg.Pool | undefined; pglite: PGlite | undefined }): Warehouse {
  if (settings.WAREHOUSE === 'bigquery') {
    if (!settings.BIGQUERY_PROJECT) throw new Error('BIGQUERY_PROJECT: is required when WAREHOUSE=bigquery');
    return openWarehouse({
      kind: 'bigquery',
      projectId: settings.BIGQUERY_PROJECT,
      emulatorHost: settings.BIGQUERY_EMULATOR_HOST,
      location: settings.BIGQUERY_LOCATION,
      prefix: settings.BIGQUERY_DATASET_PREFIX,
    });
  }
  if (settings.WAREHOUSE_DATABASE_URL) return openWarehouse({ kind: 'postgres', url: settings.WAREHOUSE_DATABASE_URL });
  if (oltp.pool) return openWarehouse({ kind: 'postgres', pool: oltp.pool });
  if (oltp.pglite) return openWarehouse({ kind: 'pglite', lite: oltp.pglite });
  throw new Error('no Postgres warehouse: set WAREHOUSE_DATABASE_URL or open the OLTP database first');
}
