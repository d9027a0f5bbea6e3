import { activeRulesetRef, migrateToLatest, openDatabase, saveRuleset as insertUnchecked, type OltpDatabase } from '@fraudline/db';
import { defaultRuleset, RulesetError } from '@fraudline/fraud-rules';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activateRuleset, installBuiltInRulesets, parseRulesetRef, RulesetRegistryError, saveRuleset } from './registry.js';

describe('ruleset registry on the embedded database', () => {
  let dataDir: string;
  let oltp: OltpDatabase;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fraudline-registry-'));
    oltp = await openDatabase({ kind: 'pglite', dataDir });
    await migrateToLatest(oltp.db);
  });
  afterAll(async () => {
    await oltp?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps a built-in version stored by an earlier release, and activates the initial ruleset only once', async () => {
    const { examples: _examples, ...earlier } = defaultRuleset;
    await insertUnchecked(oltp.db, { ruleset_id: 'default', version: defaultRuleset.version, document: earlier });
    await installBuiltInRulesets(oltp.db, 'default');
    await installBuiltInRulesets(oltp.db, 'seed-legacy');
    expect(await activeRulesetRef(oltp.db)).toEqual({ ruleset_id: 'default', version: defaultRuleset.version });
    await expect(installBuiltInRulesets(oltp.db, 'nope')).rejects.toThrow('RULESET: unknown ruleset "nope"; built in: default, seed-legacy');
  });

  it('refuses to save an invalid document and to activate an invalid stored one, naming the rule', async () => {
    const broken = { ...defaultRuleset, id: 'broken', rules: defaultRuleset.rules.map((rule, i) => (i === 0 ? { ...rule, when: 'user.nope > 1.0' } : rule)) };
    const saved = await saveRuleset(oltp.db, broken).catch((error: unknown) => error);
    expect(saved).toBeInstanceOf(RulesetError);
    expect((saved as RulesetError).issues[0]).toMatchObject({ ruleId: defaultRuleset.rules[0]!.id, field: 'rules.0.when' });

    await insertUnchecked(oltp.db, { ruleset_id: 'broken', version: 1, document: broken });
    await expect(activateRuleset(oltp.db, { ruleset_id: 'broken', version: 1 })).rejects.toThrow(`rule "${defaultRuleset.rules[0]!.id}"`);
    expect(await activeRulesetRef(oltp.db)).toEqual({ ruleset_id: 'default', version: defaultRuleset.version });
  });

  it('saves a version once and refuses other content under the same version', async () => {
    const house = { ...defaultRuleset, id: 'house', version: 3 };
    expect((await saveRuleset(oltp.db, house)).created).toBe(true);
    expect((await saveRuleset(oltp.db, JSON.parse(JSON.stringify(house)))).created).toBe(false);
    await expect(saveRuleset(oltp.db, { ...house, description: 'other' })).rejects.toThrow(RulesetRegistryError);
    expect(await activateRuleset(oltp.db, { ruleset_id: 'house', version: 3 })).toEqual({ ruleset_id: 'default', version: defaultRuleset.version });
  });

  it.each(['default', 'default@0', 'default@1.5', 'Default@1', '@1'])('refuses "%s" as a reference', (text) => {
    expect(() => parseRulesetRef(text)).toThrow('is not a ruleset reference');
  });

  it('parses id@version', () => {
    expect(parseRulesetRef('seed-legacy@12')).toEqual({ ruleset_id: 'seed-legacy', version: 12 });
  });
});
