// The rules CLI: a ruleset is checked, stored, backtested, shadowed, made live, listed and compared here, never by hand in the table.
import { databaseTarget, openCurrentDatabase, type OltpDatabase } from '@fraudline/db';
import { alignColumns, formatBacktest, runBacktest } from '@fraudline/decisioning';
import { dayBounds, parseLogicalDate } from '@fraudline/extract';
import { compileRuleset, diffRulesets, formatRulesetDiff, parseRulesetDocument, RULE_LIMITS, RulesetError, validateRuleset, type RulesetDocument } from '@fraudline/fraud-rules';
import {
  activateRuleset,
  formatRulesetRef,
  listRulesets,
  loadStoredDocument,
  parseRulesetRef,
  promoteRuleset,
  RulesetRegistryError,
  saveRuleset,
  shadowRuleset,
} from '@fraudline/ruleset-registry';
import { databaseStartupStep, exitOnFatalError, loadPipelineEnv, packageVersion } from '@fraudline/runtime';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Refusals the user can act on: one line per problem, exit 1, no stack. */
class Refusal extends Error {}

async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Refusal(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Refusal(`${file}: not JSON: ${(error as Error).message}`);
  }
}

async function withDatabase<T>(work: (oltp: OltpDatabase) => Promise<T>): Promise<T> {
  const env = loadPipelineEnv();
  const oltp = await databaseStartupStep(env, () =>
    openCurrentDatabase(databaseTarget({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE })),
  );
  try {
    return await work(oltp);
  } finally {
    await oltp.close();
  }
}

const summary = (document: RulesetDocument, cost: number) =>
  `${document.rules.length} rules, ${document.examples?.length ?? 0} examples, worst-case cost ${cost} of ${RULE_LIMITS.maxDecisionCost} per decision`;

/** A FILE, or an ID@VERSION stored in the database. */
async function resolveDocument(source: string): Promise<RulesetDocument> {
  if (existsSync(source)) return parseRulesetDocument(await readDocument(source));
  const ref = parseRulesetRef(source);
  return withDatabase(async ({ db }) => parseRulesetDocument(await loadStoredDocument(db, ref)));
}

const program = new Command('rules')
  .description('Validate, save, backtest, shadow, promote, activate, list and compare fraud rulesets. Saving, shadowing and activating always validate first.')
  .version(packageVersion(import.meta.url))
  .addHelpText(
    'after',
    '\nA ruleset is a JSON document (see libs/fraud-rules/src/ruleset.ts). Validation compiles every rule, type-checks it against the\n' +
      'feature contract, holds it to the CEL limits (expression length, AST size, bounded comprehensions, a per-decision cost budget)\n' +
      "and runs the ruleset's own examples. The database comes from DATABASE_URL, or the embedded one under DATA_DIR.",
  )
  .showHelpAfterError();

program
  .command('validate')
  .description('check ruleset files without storing anything; exit 1 if any is invalid')
  .argument('<files...>', 'ruleset JSON files')
  .action(async (files: string[]) => {
    let invalid = 0;
    for (const file of files) {
      try {
        const ruleset = validateRuleset(await readDocument(file));
        console.log(`ok ${file}: ${formatRulesetRef({ ruleset_id: ruleset.id, version: ruleset.version })}, ${summary(ruleset.document, ruleset.cost)}`);
      } catch (error) {
        if (!(error instanceof RulesetError) && !(error instanceof Refusal)) throw error;
        invalid++;
        reportRefusal(error, file);
      }
    }
    if (invalid > 0) process.exitCode = 1;
  });

program
  .command('save')
  .description('validate a ruleset file and store it as a draft version (a stored version never changes)')
  .argument('<file>', 'ruleset JSON file')
  .action(async (file: string) => {
    const input = await readDocument(file);
    const saved = await withDatabase(({ db }) => saveRuleset(db, input));
    const ref = formatRulesetRef(saved.ref);
    console.log(saved.created ? `saved ${ref} as a draft: ${summary(saved.ruleset.document, saved.ruleset.cost)}` : `${ref} is already stored with this document; nothing changed`);
  });

program
  .command('activate')
  .description('validate a stored version again and make it the live ruleset; running subscribers switch between batches')
  .argument('<ref>', 'ID@VERSION, e.g. default@1')
  .action(async (text: string) => {
    const ref = parseRulesetRef(text);
    const previous = await withDatabase(({ db }) => activateRuleset(db, ref));
    console.log(`${formatRulesetRef(ref)} is live${previous ? ` (was ${formatRulesetRef(previous)})` : ''}`);
  });

const logicalDate = (what: string) => (value: string) => {
  try {
    return parseLogicalDate(value, what);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

program
  .command('backtest')
  .description(
    'replay the orders placed on these business days in decision order, with every feature as of each order, decide them with a ruleset, ' +
      'and report outcomes, precision and recall against the labels known now, each rule, and the orders whose outcome changes',
  )
  .requiredOption('--ruleset <ruleset>', 'a ruleset FILE, or a stored ID@VERSION')
  .requiredOption('--from <date>', 'first business day, YYYY-MM-DD', logicalDate('--from'))
  .requiredOption('--to <date>', 'last business day (included), YYYY-MM-DD', logicalDate('--to'))
  .option('--changes <n>', 'changed orders to list', (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
    return Number(value);
  }, 20)
  .addOption(
    new Option('--truth <truth>', "score against outcome labels known now, or the generator's ground truth (generated data only)").choices(['outcomes', 'simulation']).default('outcomes'),
  )
  .option('--json', 'print the report as JSON instead of tables')
  .action(async (options: { ruleset: string; from: string; to: string; changes: number; truth: 'outcomes' | 'simulation'; json?: boolean }) => {
    if (options.to < options.from) throw new Refusal(`--to ${options.to} is before --from ${options.from}`);
    const env = loadPipelineEnv();
    const ruleset = compileRuleset(await resolveDocument(options.ruleset));
    const period = { from: dayBounds(options.from, env.BUSINESS_TZ).start, to: dayBounds(options.to, env.BUSINESS_TZ).end };
    const bar = new SingleBar({ format: 'backtest [{bar}] {value}/{total} decisions | {eta_formatted} left', hideCursor: true, stream: process.stderr });
    let started = false;
    try {
      const report = await withDatabase((database) =>
        runBacktest(database, {
          ruleset,
          period,
          timeZone: env.BUSINESS_TZ,
          maxChangesListed: options.changes,
          truth: options.truth,
          onProgress: (done, total) => {
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(done);
          },
        }),
      );
      bar.stop();
      if (options.json) console.log(JSON.stringify(report, null, 2));
      else for (const line of formatBacktest(report)) console.log(line);
    } finally {
      bar.stop();
    }
  });

program
  .command('shadow')
  .description('validate a stored version and decide every order with it beside the live ruleset, changing no outcome')
  .argument('<ref>', 'ID@VERSION, e.g. default@2')
  .option('--off', 'stop shadowing it (it returns to draft)')
  .action(async (text: string, options: { off?: boolean }) => {
    const ref = parseRulesetRef(text);
    await withDatabase(({ db }) => shadowRuleset(db, ref, !options.off));
    console.log(options.off ? `${formatRulesetRef(ref)} is a draft again` : `${formatRulesetRef(ref)} is a shadow: running subscribers decide with it from their next batch`);
  });

program
  .command('promote')
  .description('make a shadow version the live ruleset (validated again); the one it replaces is retired')
  .argument('<ref>', 'ID@VERSION of a shadow ruleset')
  .action(async (text: string) => {
    const ref = parseRulesetRef(text);
    const previous = await withDatabase(({ db }) => promoteRuleset(db, ref));
    console.log(`${formatRulesetRef(ref)} is live${previous ? ` (was ${formatRulesetRef(previous)})` : ''}`);
  });

program
  .command('list')
  .description('every stored version and its status')
  .action(async () => {
    const rows = await withDatabase(({ db }) => listRulesets(db));
    const table = [['RULESET', 'STATUS', 'SAVED', 'ACTIVATED'], ...rows.map((r) => [formatRulesetRef(r), r.status, r.created_at.toISOString(), r.activated_at?.toISOString() ?? '-'])];
    for (const line of alignColumns(table)) console.log(line);
  });

program
  .command('diff')
  .description('what changes from A to B, rule by rule; each is a FILE or a stored ID@VERSION')
  .argument('<a>', 'FILE or ID@VERSION')
  .argument('<b>', 'FILE or ID@VERSION')
  .action(async (a: string, b: string) => {
    const diff = diffRulesets(await resolveDocument(a), await resolveDocument(b));
    for (const line of formatRulesetDiff(diff)) console.log(line);
  });

function reportRefusal(error: Error, source?: string): void {
  const where = source ? `${source}: ` : '';
  if (error instanceof RulesetError) {
    console.error(`rules: ${where}${error.rulesetId ? `ruleset "${error.rulesetId}" ` : ''}is invalid:`);
    for (const issue of error.issues) console.error(`  ${issue.ruleId ? `rule "${issue.ruleId}" ` : ''}${issue.field || '(document)'}: ${issue.message}`);
  } else {
    console.error(`rules: ${where}${error.message}`);
  }
}

exitOnFatalError('rules');
try {
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof RulesetError || error instanceof RulesetRegistryError || error instanceof Refusal)) throw error;
  reportRefusal(error);
  process.exitCode = 1;
}
