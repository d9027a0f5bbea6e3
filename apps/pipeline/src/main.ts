// `npm start`: the whole pipeline in one command, on embedded defaults (PGlite, file topic log) or on the configured real services.
import { databaseTarget, openMigratedDatabase } from '@fraudline/db';
import { MainJobInterrupted, runMainJob, type ProgressReporter } from '@fraudline/pipeline';
import {
  createLogger,
  databaseStartupStep,
  describeAdapters,
  exitOnFatalError,
  integerFlag,
  kafkaSecurity,
  loadPipelineEnv,
  packageVersion,
} from '@fraudline/runtime';
import { openEventLog } from '@fraudline/streaming';
import { warehouseFromSettings } from '@fraudline/warehouse';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';

exitOnFatalError('fraudline');
const program = new Command('fraudline')
  .description('Run the whole fraud pipeline: seed the catalog, produce and decide orders, load each day into the warehouse, build the marts, report.')
  .version(packageVersion(import.meta.url))
  .option('--orders <n>', 'orders to produce', integerFlag('--orders', { min: 1 }), 20_000)
  .option('--days <n>', 'days of history the orders spread over (ending yesterday)', integerFlag('--days', { min: 1, max: 366 }), 3)
  .option('--seed <n>', 'random seed', integerFlag('--seed'), 7)
  .option('--data-dir <dir>', 'where embedded data lives (overrides DATA_DIR)')
  .option('--fresh', 'delete the data directory first and start over', false)
  .option('--report <file>', 'report path', 'reports/fraud-report.html')
  .showHelpAfterError();
program.parse();
const flags = program.opts<{ orders: number; days: number; seed: number; dataDir?: string; fresh: boolean; report: string }>();

const env = loadPipelineEnv(flags.dataDir ? { ...process.env, DATA_DIR: flags.dataDir } : process.env);
const adapters = describeAdapters(env);
console.log(adapters);
if (flags.fresh) await rm(env.DATA_DIR, { recursive: true, force: true });

/** One bar per stage on a terminal; plain lines elsewhere (CI logs, pipes). */
const progress: ProgressReporter = {
  stage(name, total) {
    const started = Date.now();
    const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const bar = process.stdout.isTTY
      ? new SingleBar({ format: `${name.padEnd(9)} [{bar}] {value}/{total} | {rate}/s | {duration}s`, hideCursor: true }, Presets.shades_classic)
      : undefined;
    let lastLine = 0;
    bar?.start(total ?? 0, 0, { rate: 0 });
    return {
      setTotal: (value) => bar?.setTotal(value),
      update: (done) => {
        const rate = Math.round(done / ((Date.now() - started) / 1000 || 1));
        bar?.update(done, { rate });
        if (!bar && Date.now() - lastLine > 2000) {
          lastLine = Date.now();
          console.log(`${name}: ${done}${total ? `/${total}` : ''} (${rate}/s)`);
        }
      },
      finish: (summary) => {
        bar?.stop();
        console.log(`✓ ${name.padEnd(9)} ${elapsed().padStart(8)}  ${summary}`);
      },
    };
  },
};

const logger = createLogger('pipeline', env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
const controller = new AbortController();
process.once('SIGINT', () => {
  console.log('\nstopping after the current step (Ctrl-C again to force)…');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

const oltp = await databaseStartupStep(env, () =>
  openMigratedDatabase(databaseTarget({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE })),
);
const log = openEventLog({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID, dataDir: env.DATA_DIR, kafka: kafkaSecurity(env) });
const warehouse = warehouseFromSettings(env, oltp);
try {
  const started = Date.now();
  const result = await runMainJob(
    {
      orders: flags.orders,
      days: flags.days,
      seed: flags.seed,
      timeZone: env.BUSINESS_TZ,
      dataDir: env.DATA_DIR,
      reportPath: resolve(flags.report),
      adapters,
      groupId: env.SUBSCRIBER_GROUP,
      topic: env.ORDERS_TOPIC,
      signal: controller.signal,
    },
    { oltp, log, warehouse, logger },
    progress,
  );
  const { summary } = result;
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log(`\nfraudline: ${summary.orders} orders decided (${result.firstDay} … ${result.lastDay}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  outcomes     ${summary.outcomes.map((o) => `${o.decision} ${o.orders}`).join(' · ')}`);
  console.log(
    `  top reasons  ${summary.topReasons
      .slice(0, 5)
      .map((r) => `${r.ruleId} ${r.orders}`)
      .join(' · ')}`,
  );
  console.log(`  risk list    ${summary.blacklisted} blacklisted · ${summary.watchlisted} on the watchlist`);
  for (const { ruleset, quality } of summary.quality) {
    console.log(`  ${ruleset.padEnd(12)} precision ${pct(quality.precision)} · recall ${pct(quality.recall)} · F1 ${pct(quality.f1)}`);
  }
  console.log(`  report       ${result.reportPath}`);
} catch (error) {
  if (error instanceof MainJobInterrupted) {
    console.log(error.message);
    process.exitCode = 130;
  } else {
    throw error;
  }
} finally {
  await log.close();
  await warehouse.close();
  await oltp.close();
}
