// The warehouse on BigQuery (or the goccy emulator through apiEndpoint); layers are datasets.
import { BigQuery } from '@google-cloud/bigquery';
import { LAYERS, type Layer, type Row, type WarehouseSql } from './warehouse-sql.js';

export interface BigQueryWarehouseOptions {
  projectId: string;
  /** `http://host:port` of the BigQuery emulator; unset for the real service. */
  emulatorHost?: string;
  location?: string;
  /** Dataset prefix, e.g. `fraud_` gives `fraud_raw`, `fraud_marts`. */
  prefix?: string;
}

class BigQueryWarehouse implements WarehouseSql {
  readonly dialect = 'bigquery' as const;
  readonly client: BigQuery;

  constructor(private readonly options: BigQueryWarehouseOptions) {
    this.client = new BigQuery({
      projectId: options.projectId,
      location: options.location,
      ...(options.emulatorHost ? { apiEndpoint: options.emulatorHost, credentials: { client_email: 'emulator@test', private_key: 'unused' } } : {}),
    });
  }

  layerName(layer: Layer): string {
    return `${this.options.prefix ?? ''}${layer}`;
  }

  table(layer: Layer, name: string): string {
    return `\`${this.options.projectId}.${this.layerName(layer)}.${name}\``;
  }

  async query<T extends Row = Row>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    const [rows] = await this.client.query({ query: sql, params, location: this.options.location });
    return rows as T[];
  }

  async transaction(statements: string[]): Promise<void> {
    await this.query(['BEGIN TRANSACTION;', ...statements.map((s) => `${s};`), 'COMMIT TRANSACTION;'].join('\n'));
  }

  async ensureLayers(layers: readonly Layer[] = LAYERS): Promise<void> {
    for (const layer of layers) {
      const dataset = this.client.dataset(this.layerName(layer));
      const [exists] = await dataset.exists();
      if (!exists) await dataset.create({ location: this.options.location });
    }
  }

  async close(): Promise<void> {
    return undefined;
  }
}

export function bigQueryWarehouse(options: BigQueryWarehouseOptions): WarehouseSql & { client: BigQuery } {
  return new BigQueryWarehouse(options);
}
