// The main job's transform stage: every model over the whole run's date range, then the risk list back to the OLTP database.
import { replaceRiskList, type Database } from '@fraudline/db';
import { runAndPublish, type RunAndPublishResult } from '@fraudline/transforms';
import type { Warehouse } from '@fraudline/warehouse';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';

export interface BuildMartsOptions {
  warehouse: Warehouse;
  oltp: Kysely<Database>;
  timeZone: string;
  /** `[start, end)` business dates the incremental models cover. */
  start: string;
  end: string;
  logger: Logger;
  onModel?: (done: number, total: number) => void;
}

export function buildMarts(options: BuildMartsOptions): Promise<RunAndPublishResult> {
  let done = 0;
  return runAndPublish({
    warehouse: options.warehouse,
    writeRiskList: (rows, publishedAt, source) => replaceRiskList(options.oltp, rows, publishedAt, source),
    tz: options.timeZone,
    start: options.start,
    end: options.end,
    log: (line) => options.logger.debug(line),
    onModelStart: ({ total }) => options.onModel?.(done, total),
    onModelDone: () => options.onModel?.(++done, done),
  });
}
