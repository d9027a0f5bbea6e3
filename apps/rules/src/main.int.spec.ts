import { activeRulesetRef, migrateToLatest, shadowRulesetRefs, openDatabase, saveRuleset as insertUnchecked, type OltpDatabase } from '@fraudline/db';
import { defaultRuleset, type RulesetDocument } from '@fraudline/fraud-rules';
import { createTestDatabase, findWorkspaceRoot, type TestDatabase } from '@fraudline/testing';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = findWorkspaceRoot()!;

describe('rules CLI on a real Postgres', () => {
  let database: TestDatabase;
  let oltp: OltpDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const rules = (...args: string[]) =>
    spawnSync(process.execPath, ['--conditions=@fraudline/source', '--import', 'tsx', 'apps/rules/src/main.ts', ...args], { cwd: root, env, encoding: 'utf8' });
  const file = async (name: string, document: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(document, null, 2));
    return path;
  };
  const version = (v: number, change: Partial<RulesetDocument> = {}): RulesetDocument => ({ ...defaultRuleset, id: 'house', version: v, ...change });
  const withRule = (v: number, when: string): RulesetDocument =>
    version(v, { rules: [...defaultRuleset.rules, { id: 'added', description: 'added rule', when, score: 5, reason: 'added' }] });

  beforeAll(async () => {
    database = await createTestDatabase('rules_cli');
    dir = await mkdtemp(join(tmpdir(), 'fraudline-rules-'));
    env = { ...process.env, DATABASE_URL: database.url, KAFKA_BROKERS: '', LOG_LEVEL: 'warn' };
    oltp = await openDatabase({ kind: 'postgres', url: database.url });
  });
  afterAll(async () => {
    await oltp?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('documents every command in --help', () => {
    const help = rules('--help');
    expect(help.status).toBe(0);
    for (const command of ['validate', 'save', 'shadow', 'promote', 'activate', 'list', 'diff']) expect(help.stdout).toContain(command);
  });

  it('validates files without a database, naming each invalid rule, and refuses a costly expression', async () => {
    const good = await file('good.json', version(1));
    const unknownFeature = await file('nope.json', withRule(2, 'user.nope > 1.0'));
    const list = `[${Array.from({ length: 40 }, (_, i) => `${i}.0`).join(', ')}]`;
    const costly = await file('costly.json', withRule(3, `${list}.exists(a, ${list}.exists(b, ${list}.exists(c, a + b + c > order.amount)))`));
    const result = rules('validate', good, unknownFeature, costly);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`ok ${good}: house@1, ${defaultRuleset.rules.length} rules, ${defaultRuleset.examples!.length} examples`);
    expect(result.stderr).toContain(`rules: ${unknownFeature}: ruleset "house" is invalid:\n  rule "added" rules.${defaultRuleset.rules.length}.when: No such key: nope`);
    expect(result.stderr).toMatch(new RegExp(`rules: ${costly}: ruleset "house" is invalid:\\n  rule "added" .*over the budget of 20000`));
    expect(rules('validate', good).status).toBe(0);
  });

  it('refuses to touch a database whose schema is not migrated', async () => {
    const result = rules('save', await file('early.json', version(1)));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('run the migrations first: npm run migrate');
    await migrateToLatest(oltp.db);
  });

  it('refuses an invalid ruleset at save and stores nothing', async () => {
    const result = rules('save', await file('bad-example.json', version(5, { examples: [{ name: 'calm', features: { user: { smallOrders1h: 9 } }, expect: { decision: 'approve' } }] })));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('example "calm" expects approve, got review (fired: card-testing)');
    expect(await oltp.db.selectFrom('rulesets').selectAll().where('ruleset_id', '=', 'house').execute()).toEqual([]);
  });

  it('saves, activates, lists and diffs versions; a stored version never changes', async () => {
    const first = await file('house-1.json', version(1));
    expect(rules('save', first).stdout).toContain('saved house@1 as a draft');
    expect(rules('save', first).stdout).toContain('house@1 is already stored with this document; nothing changed');
    const changed = rules('save', await file('house-1b.json', version(1, { thresholds: { review: 30, decline: 70 } })));
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain('house@1 is already stored with another document; a stored version never changes, so save it as version 2');

    const second = await file('house-2.json', version(2, { thresholds: { review: 30, decline: 70 } }));
    expect(rules('save', second).status).toBe(0);
    expect(rules('activate', 'house@1').stdout.trim()).toBe('house@1 is live');
    expect(rules('activate', 'house@2').stdout.trim()).toBe('house@2 is live (was house@1)');
    expect(await activeRulesetRef(oltp.db)).toEqual({ ruleset_id: 'house', version: 2 });

    const listed = rules('list').stdout.split('\n');
    expect(listed[0]).toMatch(/^RULESET\s+STATUS\s+SAVED\s+ACTIVATED$/);
    expect(listed.find((line) => line.startsWith('house@2 '))).toMatch(/ active /);
    expect(listed.find((line) => line.startsWith('house@1 '))).toMatch(/ retired /);

    const diff = rules('diff', 'house@1', second);
    expect(diff.status).toBe(0);
    expect(diff.stdout.trim().split('\n')).toEqual(['house@1 → house@2', '~ thresholds.review: 40 → 30']);
  });

  it('refuses to activate a stored version that does not validate, and the live one stays live', async () => {
    // Written past the registry, as a hand edit of the table would be.
    const broken = withRule(9, 'order.amount > ');
    await insertUnchecked(oltp.db, { ruleset_id: 'house', version: 9, document: broken as unknown as Record<string, unknown> });
    const result = rules('activate', 'house@9');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`rule "added" rules.${defaultRuleset.rules.length}.when:`);
    expect(await activeRulesetRef(oltp.db)).toEqual({ ruleset_id: 'house', version: 2 });
    expect(rules('activate', 'house@77').stderr.trim()).toBe('rules: house@77 is not stored; save it first (rules save FILE)');
    expect(rules('activate', 'house').stderr.trim()).toBe('rules: "house" is not a ruleset reference; write it as id@version, e.g. default@1');
  });
  it('shadows a validated version, promotes only a shadow, and never shadows the live one', async () => {
    expect(rules('save', await file('house-3.json', version(3, { thresholds: { review: 35, decline: 70 } }))).status).toBe(0);
    const notShadow = rules('promote', 'house@3');
    expect(notShadow.status).toBe(1);
    expect(notShadow.stderr.trim()).toBe('rules: house@3 is not a shadow ruleset; mark it with "rules shadow house@3" first, or use "rules activate"');

    expect(rules('shadow', 'house@9').stderr).toContain(`rule "added" rules.${defaultRuleset.rules.length}.when:`);
    expect(rules('shadow', 'house@2').stderr.trim()).toBe('rules: house@2 is the live ruleset; activate another one first');
    expect(rules('shadow', 'house@3').stdout.trim()).toBe('house@3 is a shadow: running subscribers decide with it from their next batch');
    expect(await shadowRulesetRefs(oltp.db)).toEqual([{ ruleset_id: 'house', version: 3 }]);
    expect(rules('list').stdout.split('\n').find((line) => line.startsWith('house@3 '))).toMatch(/ shadow /);

    expect(rules('promote', 'house@3').stdout.trim()).toBe('house@3 is live (was house@2)');
    expect(await activeRulesetRef(oltp.db)).toEqual({ ruleset_id: 'house', version: 3 });
    expect(await shadowRulesetRefs(oltp.db)).toEqual([]);

    expect(rules('shadow', 'house@1').status).toBe(0);
    expect(rules('shadow', 'house@1', '--off').stdout.trim()).toBe('house@1 is a draft again');
    expect(await shadowRulesetRefs(oltp.db)).toEqual([]);
  });
});
