// The main job: the same libraries the apps run in production, chained — catalog, orders, decisions, daily loads, marts, report.
import { producerCatalog, seedCatalog } from '@fraudline/catalog';
import { activeRulesetRef, catalogSizes, type OltpDatabase } from '@fraudline/db';
import { runBacktest, startOrderSubscriber, startOutcomeSubscriber, type BacktestReport } from '@fraudline/decisioning';
import { encodeOrderOutcome, OUTCOMES_TOPIC } from '@fraudline/events';
import { compileRuleset, defaultRuleset, seedLegacyRuleset } from '@fraudline/fraud-rules';
import { addDays, backfill, dateIn, dayBounds, extractSource } from '@fraudline/extract';
import { generateOrders, generateOutcomes, type GeneratedOrder } from '@fraudline/generators';
import { publishOrders } from '@fraudline/order-feed';
import { installBuiltInRulesets, shadowRuleset } from '@fraudline/ruleset-registry';
import type { EventLog } from '@fraudline/streaming';
import { RAW_TABLE_NAMES, type Warehouse } from '@fraudline/warehouse';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { readState, writeState } from './main-job-state.js';
import { renderReport } from './report.js';
import { reportData } from './report-data.js';
import type { ProgressReporter } from './stage-progress.js';
import { summarizeRun, type RunSummary } from './summary.js';
import { buildMarts } from './warehouse-build.js';

export interface MainJobOptions {
  orders: number;
  days: number;
  seed: number;
  timeZone: string;
  dataDir: string;
  reportPath: string;
  /** The first output line, naming the adapters in use; repeated in the report. */
  adapters: string;
  groupId: string;
  topic: string;
  /** Where the generated outcomes (chargebacks) are published and read back from; default `order-outcomes`. */
  outcomesTopic?: string;
  /** Clock for "today"; tests pin it. */
  now?: Date;
  signal?: AbortSignal;
}

export interface MainJobAdapters {
  oltp: OltpDatabase;
  log: EventLog;
  warehouse: Warehouse;
  logger: Logger;
}

export class MainJobInterrupted extends Error {
  override readonly name = 'MainJobInterrupted';
}

export interface MainJobResult {
  summary: RunSummary;
  firstDay: string;
  lastDay: string;
  reportPath: string;
  models: number;
  tests: number;
}

const CATALOG = { users: 2000, products: 300, merchants: 40, devices: 600 };

/**
 * The world's reaction to the run's orders: chargebacks known by `now` go through the outcomes topic and the same
 * outcome subscriber as in production, so the labels the marts read arrive the way real ones would.
 */
async function recordGeneratedOutcomes(options: MainJobOptions, adapters: MainJobAdapters, orders: readonly GeneratedOrder[], now: Date): Promise<number> {
  const topic = options.outcomesTopic ?? OUTCOMES_TOPIC;
  const outcomes = generateOutcomes(orders, { seed: options.seed, now });
  await adapters.log.ensureTopic(topic, 3);
  const producer = await adapters.log.producer();
  try {
    for (let i = 0; i < outcomes.length; i += 500) {
      await producer.send(
        topic,
        outcomes.slice(i, i + 500).map((outcome) => ({ key: outcome.orderId, value: encodeOrderOutcome(outcome) })),
      );
    }
  } finally {
    await producer.disconnect();
  }
  const subscriber = await startOutcomeSubscriber({
    db: adapters.oltp.db,
    log: adapters.log,
    registry: new Registry(),
    logger: adapters.logger,
    groupId: `${options.groupId}-outcomes`,
    topic,
  });
  try {
    while ((await subscriber.consumer.lag()) > 0 && !options.signal?.aborted) await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await subscriber.stop();
  }
  return outcomes.length;
}

/**
 * The live `default` ruleset and the legacy one replayed over the run's days: default must reproduce its stored
 * decisions, and seed-legacy shows what switching would change. `onProgress` counts decisions over both replays.
 */
async function backtestRulesets(
  oltp: OltpDatabase,
  options: MainJobOptions,
  firstDay: string,
  lastDay: string,
  onProgress: (done: number, total: number) => void,
): Promise<BacktestReport[]> {
  const period = { from: dayBounds(firstDay, options.timeZone).start, to: dayBounds(lastDay, options.timeZone).end };
  const rulesets = [defaultRuleset, seedLegacyRuleset];
  const reports: BacktestReport[] = [];
  for (const [index, document] of rulesets.entries()) {
    reports.push(
      await runBacktest(oltp, {
        ruleset: compileRuleset(document),
        period,
        timeZone: options.timeZone,
        now: options.now,
        onProgress: (done, total) => onProgress(index * total + done, rulesets.length * total),
      }),
    );
  }
  return reports;
}

export async function runMainJob(options: MainJobOptions, adapters: MainJobAdapters, progress: ProgressReporter): Promise<MainJobResult> {
  const { oltp, log, warehouse, logger } = adapters;
  const checkpoint = () => {
    if (options.signal?.aborted) throw new MainJobInterrupted('interrupted; run the same command again to resume');
  };
  const statePath = join(options.dataDir, 'main-job.json');
  const state = await readState(statePath);
  if (state.completed) Object.assign(state, { run: state.run + 1, produced: 0, completed: false });
  await writeState(statePath, state);

  const now = options.now ?? new Date();
  const today = dateIn(now, options.timeZone);
  const firstDay = addDays(today, -options.days);
  const lastDay = addDays(today, -1);

  const catalogStage = progress.stage('catalog');
  const sizes = await catalogSizes(oltp.db);
  if (sizes.users < CATALOG.users)
    await seedCatalog(oltp.db, {
      seed: options.seed,
      ...CATALOG,
      users: CATALOG.users - sizes.users,
      products: Math.max(0, CATALOG.products - sizes.products),
      asOf: now,
    });
  const catalog = await producerCatalog(oltp.db);
  catalogStage.finish(`${catalog.users.length} users, ${catalog.products.length} products, ${catalog.merchants.length} merchants`);
  checkpoint();

  // Orders are deterministic per (seed, run): a resumed run skips what it already published, and anything published
  // twice after a hard crash carries the same order ids, which the decision store ignores.
  const produceStage = progress.stage('produce', options.orders);
  const runOrders = generateOrders({
    seed: options.seed + state.run,
    catalog,
    count: options.orders,
    from: dayBounds(firstDay, options.timeZone).start,
    to: dayBounds(lastDay, options.timeZone).end,
  });
  const orders = runOrders.slice(state.produced);
  await log.ensureTopic(options.topic, 3);
  const producer = await log.producer();
  let cursor = 0;
  try {
    await publishOrders({
      producer,
      topic: options.topic,
      nextOrder: () => orders[cursor++],
      signal: options.signal,
      batchSize: 500,
      onProgress: ({ sent }) => {
        state.produced = options.orders - orders.length + sent;
        produceStage.update(state.produced);
      },
    });
  } finally {
    await producer.disconnect();
    await writeState(statePath, state);
  }
  produceStage.finish(`${state.produced} orders published to ${options.topic}`);
  checkpoint();

  // The legacy ruleset decides every order in shadow beside the live one, so the marts can compare the two.
  await installBuiltInRulesets(oltp.db, 'default');
  const legacy = { ruleset_id: seedLegacyRuleset.id, version: seedLegacyRuleset.version };
  const live = await activeRulesetRef(oltp.db);
  if (live?.ruleset_id !== legacy.ruleset_id || live.version !== legacy.version) await shadowRuleset(oltp.db, legacy);

  const decideStage = progress.stage('decide');
  let decided = 0;
  const subscriber = await startOrderSubscriber({
    database: oltp,
    log,
    registry: new Registry(),
    logger,
    groupId: options.groupId,
    topic: options.topic,
    initialRuleset: 'default',
    timeZone: options.timeZone,
    onStored: (messages) => decideStage.update((decided += messages.length)),
  });
  try {
    decideStage.setTotal(decided + (await subscriber.lag()));
    while ((await subscriber.lag()) > 0 && !options.signal?.aborted) await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await subscriber.stop();
  }
  decideStage.finish(`${decided} messages decided or dead-lettered`);
  checkpoint();

  const outcomesStage = progress.stage('outcomes');
  const outcomes = await recordGeneratedOutcomes(options, adapters, runOrders, now);
  outcomesStage.finish(`${outcomes} chargebacks known by now published to ${options.outcomesTopic ?? OUTCOMES_TOPIC} and recorded as labels`);
  checkpoint();

  const backtestStage = progress.stage('backtest');
  const backtests = await backtestRulesets(oltp, options, firstDay, lastDay, (done, total) => {
    backtestStage.setTotal(total);
    backtestStage.update(done);
  });
  backtestStage.finish(
    backtests.map((b) => `${b.ruleset.id}@${b.ruleset.version}: ${b.backtested.byDecision.review + b.backtested.byDecision.decline} flagged`).join(', ') +
      ` of ${backtests[0]?.periodOrders ?? 0} orders replayed with point-in-time features`,
  );
  checkpoint();

  const loadStage = progress.stage('load', (options.days + 1) * RAW_TABLE_NAMES.length);
  const loads = await backfill({
    source: extractSource(oltp),
    warehouse,
    from: firstDay,
    to: today,
    tz: options.timeZone,
    onProgress: ({ done }) => loadStage.update(done),
  });
  loadStage.finish(`${loads.length} partitions, ${loads.reduce((sum, l) => sum + l.rows, 0)} rows from ${firstDay} to ${today}`);
  checkpoint();

  const transformStage = progress.stage('transform');
  const built = await buildMarts({
    warehouse,
    oltp: oltp.db,
    timeZone: options.timeZone,
    start: firstDay,
    end: addDays(today, 1),
    logger,
    onModel: (done, total) => {
      transformStage.setTotal(total);
      transformStage.update(done);
    },
  });
  transformStage.finish(`${built.models} models, ${built.tests} data tests passed, risk list published`);

  const reportStage = progress.stage('report');
  const summary = await summarizeRun(oltp.db);
  await mkdir(dirname(options.reportPath), { recursive: true });
  await writeFile(options.reportPath, renderReport(await reportData(warehouse, summary, options.adapters, backtests)));
  reportStage.finish(options.reportPath);

  await writeState(statePath, { ...state, completed: true });
  return { summary, firstDay, lastDay, reportPath: options.reportPath, models: built.models, tests: built.tests };
}
