// Asks the warehouse's own catalog which relations a layer holds (tables or views) and which columns a relation has.
import type { Layer, WarehouseSql } from '@fraudline/warehouse';
import type { RelationKind } from './dialect.js';

export interface Catalog {
  /** Every table and view of a layer, by name. */
  relations(layer: Layer): Promise<Map<string, RelationKind>>;
  /** Column names in table order; empty when the relation does not exist. */
  columnsOf(layer: Layer, name: string): Promise<string[]>;
}

/**
 * goccy/bigquery-emulator answers "Table not found: ...INFORMATION_SCHEMA..." for a dataset that holds no table yet,
 * where BigQuery returns no rows; both mean the relation is absent.
 */
function isEmptyDatasetError(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message) && error.message.includes('INFORMATION_SCHEMA');
}

function bigQueryCatalog(warehouse: WarehouseSql): Catalog {
  const ask = async <T extends Record<string, unknown>>(layer: Layer, view: string, sql: (from: string) => string, params?: Record<string, unknown>) => {
    try {
      return await warehouse.query<T>(sql(warehouse.table(layer, `INFORMATION_SCHEMA.${view}`)), params);
    } catch (error) {
      if (isEmptyDatasetError(error)) return [];
      throw error;
    }
  };
  return {
    async relations(layer) {
      const rows = await ask<{ table_name: string; table_type: string }>(layer, 'TABLES', (from) => `SELECT table_name, table_type FROM ${from}`);
      return new Map(rows.map((row) => [row.table_name, row.table_type === 'VIEW' ? 'view' : 'table']));
    },
    async columnsOf(layer, name) {
      const rows = await ask<{ column_name: string }>(
        layer,
        'COLUMNS',
        (from) => `SELECT column_name FROM ${from} WHERE table_name = @name ORDER BY ordinal_position`,
        { name },
      );
      return rows.map((row) => row.column_name);
    },
  };
}

function postgresCatalog(warehouse: WarehouseSql): Catalog {
  return {
    async relations(layer) {
      const rows = await warehouse.query<{ relname: string; relkind: string }>(
        `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = @schema AND c.relkind IN ('r', 'p', 'v')`,
        { schema: warehouse.layerName(layer) },
      );
      return new Map(rows.map((row) => [row.relname, row.relkind === 'v' ? 'view' : 'table']));
    },
    async columnsOf(layer, name) {
      const rows = await warehouse.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = @schema AND table_name = @name ORDER BY ordinal_position`,
        { schema: warehouse.layerName(layer), name },
      );
      return rows.map((row) => row.column_name);
    },
  };
}

export function warehouseCatalog(warehouse: WarehouseSql): Catalog {
  return warehouse.dialect === 'postgres' ? postgresCatalog(warehouse) : bigQueryCatalog(warehouse);
}

/** A run's view of which relations exist: each layer is listed once, then kept current as the run builds. */
export class RelationCache {
  private readonly layers = new Map<Layer, Promise<Map<string, RelationKind>>>();

  constructor(private readonly catalog: Catalog) {}

  private listing(layer: Layer): Promise<Map<string, RelationKind>> {
    let listing = this.layers.get(layer);
    if (!listing) {
      listing = this.catalog.relations(layer);
      this.layers.set(layer, listing);
    }
    return listing;
  }

  async kindOf(layer: Layer, name: string): Promise<RelationKind | undefined> {
    return (await this.listing(layer)).get(name);
  }

  async built(layer: Layer, name: string, kind: RelationKind): Promise<void> {
    (await this.listing(layer)).set(name, kind);
  }
}
