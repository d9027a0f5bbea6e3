// The batch-loader CLI: catalog jobs, daily loads for a logical date, transforms, backfill with progress, ledger status, and the scheduled worker.
import { isJobName, JOB_NAMES, runJob, startScheduler, type BatchContext } from '@fraudline/batch-jobs';
import { databaseTarget, openCurrentDatabase, openDatabase, openMigratedDatabase, replaceRiskList, schemaStatus, type OltpDatabase } from '@fraudline/db';
import { trainScoringModel } from '@fraudline/decisioning';
import { addDays, backfill, dayBounds, extractSource, ledgerStatus, parseLogicalDate, previousBusinessDay } from '@fraudline/extract';
import {
  createLogger,
  databaseStartupStep,
  describeAdapters,
  exitOnFatalError,
  integerFlag,
  loadPipelineEnv,
  onShutdown,
  packageVersion,
  type PipelineEnv,
} from '@fraudline/runtime';
import { importOutcomeCsv, OutcomeCsvError } from '@fraudline/outcomes';
import { runAndPublish, writeDocs } from '@fraudline/transforms';
import { warehouseFromSettings } from '@fraudline/warehouse';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFile } from 'node:fs/promises';

const logicalDate = (value: string) => {
  try {
    return parseLogicalDate(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

interface Session {
  env: PipelineEnv;
  oltp: OltpDatabase;
  context: BatchContext;
  close(): Promise<void>;
}

const oltpTarget = (env: PipelineEnv) => databaseTarget({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE });

/** Config and adapters, opened only for commands that need them so `--help` and bad flags fail fast; the schema must be current. */
async function openSession(): Promise<Session> {
  const env = loadPipelineEnv();
  const logger = createLogger('batch-loader', env.LOG_LEVEL);
  logger.info(describeAdapters(env));
  const oltp = await databaseStartupStep(env, () => openCurrentDatabase(oltpTarget(env)));
  const warehouse = warehouseFromSettings(env, oltp);
  const context: BatchContext = {
    db: oltp.db,
    source: extractSource(oltp),
    warehouse,
    timeZone: env.BUSINESS_TZ,
    transform: (date) =>
      runAndPublish({
        warehouse,
        writeRiskList: (rows, publishedAt, source) => replaceRiskList(oltp.db, rows, publishedAt, source),
        tz: env.BUSINESS_TZ,
        start: date,
        end: addDays(date, 1),
        log: (line) => logger.info(line),
      }),
  };
  return {
    env,
    oltp,
    context,
    close: async () => {
      await warehouse.close();
      await oltp.close();
    },
  };
}

exitOnFatalError('batch-loader');
const program = new Command('batch-loader')
  .description('Batch path of fraudline: catalog generation, idempotent daily loads into the warehouse, layered transforms.')
  .version(packageVersion(import.meta.url))
  .showHelpAfterError();

program
  .command('migrate')
  .description("bring the OLTP schema to this release's version; the only command that changes it (services refuse another version)")
  .option('--check', 'change nothing: print the schema status and exit 1 when migrations are pending')
  .action(async (options: { check?: boolean }) => {
    const env = loadPipelineEnv();
    const target = oltpTarget(env);
    const oltp = await databaseStartupStep(env, () => (options.check ? openDatabase(target) : openMigratedDatabase(target)));
    try {
      const status = await schemaStatus(oltp.db);
      console.log(JSON.stringify({ version: status.version ?? null, pending: status.pending, unknown: status.unknown }));
      if (status.pending.length > 0 || status.unknown.length > 0) process.exitCode = 1;
    } finally {
      await oltp.close();
    }
  });

program
  .command('import-outcomes')
  .description('record outcomes (chargebacks, fraud refunds, analyst verdicts, customer confirmations) from a CSV file; safe to rerun')
  .argument('<file>', 'CSV with a header: outcome_id, order_id, kind, occurred_at, known_at and, by kind, reason_code, category, amount, currency, verdict, analyst, note, source')
  .action(async (file: string) => {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => program.error(`${file}: cannot read: ${error.code ?? error.message}`));
    const session = await openSession();
    const bar = new SingleBar({ format: 'outcomes [{bar}] {value}/{total} rows | {duration_formatted}', hideCursor: true });
    try {
      let started = false;
      const report = await importOutcomeCsv(session.oltp.db, text, file, (done, total) => {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      });
      bar.stop();
      for (const row of report.rejected) {
        console.error(`${file}:${row.offset}: ${row.error_kind}: ${row.error.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ')}`);
      }
      console.log(JSON.stringify({ recorded: report.recorded, unchanged: report.unchanged, rejected: report.rejected.length }));
      if (report.rejected.length > 0) process.exitCode = 1;
    } catch (error) {
      if (error instanceof OutcomeCsvError) program.error(error.message);
      throw error;
    } finally {
      bar.stop();
      await session.close();
    }
  });

program
  .command('run')
  .description(`run one job now: ${JOB_NAMES.join(', ')}`)
  .argument('<job>', 'job name')
  .option('--date <YYYY-MM-DD>', 'logical date D in BUSINESS_TZ (default: yesterday there)', logicalDate)
  .option('--seed <n>', 'random seed for the catalog jobs', integerFlag('--seed'))
  .action(async (job: string, options: { date?: string; seed?: number }) => {
    if (!isJobName(job)) return program.error(`unknown job "${job}"; choose one of: ${JOB_NAMES.join(', ')}`);
    const session = await openSession();
    try {
      const date = options.date ?? previousBusinessDay(new Date(), session.env.BUSINESS_TZ);
      console.log(JSON.stringify(await runJob(session.context, job, date, options.seed), null, 2));
    } finally {
      await session.close();
    }
  });

program
  .command('train-model')
  .description(
    'train the learned fraud score on the orders placed on these business days, each with the features it was decided on, labelled by the ' +
      'outcomes known now; the latest fifth is held out to measure it; stored as the next version (and made live with --activate)',
  )
  .requiredOption('--from <YYYY-MM-DD>', 'first business day', logicalDate)
  .requiredOption('--to <YYYY-MM-DD>', 'last business day (included)', logicalDate)
  .option('--model-id <id>', 'the model to train a new version of', 'fraud-lr')
  .option('--maturity-days <n>', 'an unlabelled order counts as genuine once this many days old', integerFlag('--maturity-days'), 30)
  .addOption(new Option('--truth <truth>', "outcome labels known now, or the generator's ground truth (generated data only)").choices(['outcomes', 'simulation']).default('outcomes'))
  .option('--activate', 'make the new version the live one; running subscribers pick it up within a second')
  .action(async (options: { from: string; to: string; modelId: string; maturityDays: number; truth: 'outcomes' | 'simulation'; activate?: boolean }) => {
    if (options.to < options.from) return program.error(`--to ${options.to} is before --from ${options.from}`);
    const session = await openSession();
    const tz = session.env.BUSINESS_TZ;
    const bar = new SingleBar({ format: 'features [{bar}] {value}/{total} decisions | {eta_formatted} left', hideCursor: true, stream: process.stderr });
    let started = false;
    try {
      const trained = await trainScoringModel(session.oltp, {
        period: { from: dayBounds(options.from, tz).start, to: dayBounds(options.to, tz).end },
        timeZone: tz,
        modelId: options.modelId,
        truth: options.truth,
        labelMaturityDays: options.maturityDays,
        activate: options.activate,
        onProgress: (done, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        },
      });
      bar.stop();
      const { model } = trained;
      console.log(JSON.stringify({ model: `${trained.ref.model_id}@${trained.ref.version}`, activated: trained.activated, rows: trained.rows, trainedOn: model.trainedOn, metrics: model.metrics }, null, 2));
    } finally {
      bar.stop();
      await session.close();
    }
  });

program
  .command('backfill')
  .description('load every day from --from to --to (inclusive) into the warehouse; safe to rerun')
  .requiredOption('--from <YYYY-MM-DD>', 'first logical date', logicalDate)
  .requiredOption('--to <YYYY-MM-DD>', 'last logical date', logicalDate)
  .action(async (options: { from: string; to: string }) => {
    if (options.from > options.to) program.error(`--from ${options.from} is after --to ${options.to}`);
    const session = await openSession();
    const bar = new SingleBar({ format: 'backfill [{bar}] {value}/{total} loads | {date} {table} | {duration_formatted}', hideCursor: true });
    try {
      let started = false;
      const results = await backfill({
        source: session.context.source,
        warehouse: session.context.warehouse,
        from: options.from,
        to: options.to,
        tz: session.env.BUSINESS_TZ,
        onProgress: ({ done, total, date, table }) => {
          if (!started) bar.start(total, 0, { date, table });
          started = true;
          bar.update(done, { date, table });
        },
      });
      bar.stop();
      console.log(`loaded ${results.length} partitions, ${results.reduce((sum, r) => sum + r.rows, 0)} rows`);
    } finally {
      bar.stop();
      await session.close();
    }
  });

program
  .command('status')
  .description('print the load ledger')
  .option('--from <YYYY-MM-DD>', 'first logical date', logicalDate)
  .option('--to <YYYY-MM-DD>', 'last logical date', logicalDate)
  .action(async (options: { from?: string; to?: string }) => {
    const session = await openSession();
    try {
      const rows = await ledgerStatus(session.oltp.db, options);
      console.table(
        rows.map((r) => ({
          table: r.table,
          date: r.date,
          status: r.status,
          rows: r.rows,
          checksum: r.checksum?.slice(0, 12),
          attempts: r.attempts,
          finished: r.finishedAt?.toISOString(),
          error: r.error,
        })),
      );
    } finally {
      await session.close();
    }
  });

program
  .command('worker')
  .description('run the schedules on pg-boss: users and products hourly; loads at 03:00, 03:30 and 04:00 BUSINESS_TZ for yesterday; transforms after')
  .option('--workers <n>', 'concurrent jobs per queue', integerFlag('--workers', { min: 1, max: 64 }), 1)
  .action(async (options: { workers: number }) => {
    const session = await openSession();
    if (!session.env.DATABASE_URL) program.error('DATABASE_URL: the worker needs a Postgres server (pg-boss keeps its queues there)');
    const logger = createLogger('batch-loader', session.env.LOG_LEVEL);
    const scheduler = await startScheduler({ connectionString: session.env.DATABASE_URL!, context: session.context, logger, workers: options.workers });
    onShutdown(
      async () => {
        await scheduler.stop();
        await session.close();
      },
      { logger },
    );
  });

program
  .command('docs')
  .description('write the transform models manifest (JSON) and lineage diagram (Mermaid)')
  .option('--out <dir>', 'output folder', 'docs/lineage')
  .action(async (options: { out: string }) => {
    const written = await writeDocs(options.out);
    console.log(`wrote ${Object.values(written).join(', ')}`);
  });

await program.parseAsync();
