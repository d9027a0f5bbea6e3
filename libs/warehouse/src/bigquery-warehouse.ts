// The warehouse on BigQuery (or the goccy emulator through apiEndpoint); layers are datasets.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BigQuery, type BigQueryOptions, type TableField } from '@google-cloud/bigquery';
import { bigQueryDigestQuery, digestFromSums, type PartitionDigest } from './digest.js';
import { ndjsonEncoder, parseCopyLine } from './load-encoding.js';
import { compactDate, verifyStaged, type PartitionLoad, type Warehouse } from './partition-loader.js';
import {
  assertIsoDate,
  LOADED_AT_COLUMN,
  LOGICAL_DATE_COLUMN,
  loadColumns,
  rawTable,
  type ColumnType,
  type RawTable,
  type RawTableName,
} from './raw-tables.js';
import { LAYERS, type Layer, type Row } from './warehouse-sql.js';

export interface BigQueryWarehouseOptions {
  projectId: string;
  /** `http://host:port` of the BigQuery emulator; unset for the real service. */
  emulatorHost?: string;
  location?: string;
  /** Dataset prefix, e.g. `fraud_` gives `fraud_raw`, `fraud_marts`. */
  prefix?: string;
  /** Where NDJSON load files are written (a fresh folder per load, removed afterwards); the OS temp dir by default. */
  tempDir?: string;
}

/** The emulator checks no credentials; this client adds no Authorization header and never calls Google's token service. */
const emulatorAuth = { getRequestHeaders: async () => new Headers() } as unknown as NonNullable<BigQueryOptions['authClient']>;

const BQ_TYPES: Record<ColumnType, string> = {
  string: 'STRING',
  int64: 'INT64',
  numeric: 'NUMERIC',
  bool: 'BOOL',
  timestamp: 'TIMESTAMP',
  json: 'JSON',
};

const ALREADY_EXISTS = 409;

/** A failed load leaves its stage table behind for inspection; BigQuery drops it after a day. */
const STAGE_LIFETIME_MS = 86_400_000;

/** Rewrites the COPY text lines as an NDJSON load file, with backpressure, and returns its path. */
async function writeLoadFile(dir: string, schema: RawTable, lines: AsyncIterable<Buffer>): Promise<string> {
  const file = join(dir, `${schema.name}.ndjson`);
  const encode = ndjsonEncoder(loadColumns(schema));
  async function* ndjson() {
    for await (const chunk of lines) yield encode(chunk.toString('utf8').slice(0, -1).split('\n').map(parseCopyLine));
  }
  await pipeline(ndjson, createWriteStream(file));
  return file;
}

const dataFields = (schema: RawTable): TableField[] =>
  schema.columns.map((column) => ({ name: column.name, type: BQ_TYPES[column.type], mode: column.nullable ? 'NULLABLE' : 'REQUIRED' }));

class BigQueryWarehouse implements Warehouse {
  readonly dialect = 'bigquery' as const;
  readonly client: BigQuery;
  private readonly ensuredTables = new Set<RawTableName>();

  constructor(private readonly options: BigQueryWarehouseOptions) {
    this.client = new BigQuery({
      projectId: options.projectId,
      location: options.location,
      ...(options.emulatorHost ? { apiEndpoint: options.emulatorHost, authClient: emulatorAuth } : {}),
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

  /**
   * A load job (WRITE_TRUNCATE) fills a per-day stage table, its digest is checked, then one MERGE replaces partition D:
   * `ON FALSE` makes every staged row an insert and every target row of D (and only D) a delete, in a single atomic
   * statement. Each run costs one load job on the stage table and one DML statement on the target.
   */
  async loadPartition({ table, date, lines, expected, hooks }: PartitionLoad): Promise<PartitionDigest> {
    const schema = rawTable(table);
    assertIsoDate(date);
    await this.ensureRawTable(schema);
    const dataset = this.client.dataset(this.layerName('raw'));
    const stageName = `_load_${table}_${compactDate(date)}`;
    const stage = dataset.table(stageName);
    const fields = dataFields(schema);
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'fraudline-bq-load-'));
    try {
      const file = await writeLoadFile(dir, schema, lines);
      // A stage left by a failed run is reused: the WRITE_TRUNCATE load replaces its rows and schema.
      await dataset
        .createTable(stageName, { schema: { fields }, expirationTime: String(Date.now() + STAGE_LIFETIME_MS), location: this.options.location })
        .catch((error: { code?: number }) => {
          if (error.code !== ALREADY_EXISTS) throw error;
        });
      await stage.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_TRUNCATE', schema: { fields } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const stageRef = this.table('raw', stageName);
    const staged = verifyStaged(`${stageRef} for ${date}`, expected(), digestFromSums((await this.query(bigQueryDigestQuery(schema.columns, stageRef)))[0]));
    await hooks?.afterStage?.();
    const columns = schema.columns.map((column) => `\`${column.name}\``);
    await this.query(
      `MERGE ${this.table('raw', table)} AS target USING ${stageRef} AS stage ON FALSE
      WHEN NOT MATCHED BY SOURCE AND target.${LOGICAL_DATE_COLUMN} = DATE '${date}' THEN DELETE
      WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}, ${LOGICAL_DATE_COLUMN}, ${LOADED_AT_COLUMN})
        VALUES (${columns.map((column) => `stage.${column}`).join(', ')}, DATE '${date}', CURRENT_TIMESTAMP())`,
    );
    await stage.delete({ ignoreNotFound: true });
    return staged;
  }

  async partitionDigest(table: RawTableName, date: string): Promise<PartitionDigest> {
    const schema = rawTable(table);
    const [exists] = await this.client.dataset(this.layerName('raw')).table(table).exists();
    if (!exists) return digestFromSums(undefined);
    const [sums] = await this.query(bigQueryDigestQuery(schema.columns, this.table('raw', table), `${LOGICAL_DATE_COLUMN} = DATE '${assertIsoDate(date)}'`));
    return digestFromSums(sums);
  }

  private async ensureRawTable(schema: RawTable): Promise<void> {
    if (this.ensuredTables.has(schema.name)) return;
    await this.ensureLayers(['raw']);
    const dataset = this.client.dataset(this.layerName('raw'));
    const [exists] = await dataset.table(schema.name).exists();
    if (!exists) {
      await dataset.createTable(schema.name, {
        schema: {
          fields: [
            ...dataFields(schema),
            { name: LOGICAL_DATE_COLUMN, type: 'DATE', mode: 'REQUIRED' },
            { name: LOADED_AT_COLUMN, type: 'TIMESTAMP', mode: 'REQUIRED' },
          ],
        },
        timePartitioning: { type: 'DAY', field: LOGICAL_DATE_COLUMN },
        clustering: { fields: [...schema.clusterBy] },
        location: this.options.location,
      });
    }
    this.ensuredTables.add(schema.name);
  }
}

export function bigQueryWarehouse(options: BigQueryWarehouseOptions): Warehouse & { client: BigQuery } {
  return new BigQueryWarehouse(options);
}
