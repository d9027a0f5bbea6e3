import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest, lineageMermaid, writeDocs } from './docs.js';
import { allModels } from './models/index.js';

describe('docs', () => {
  it('describes every model with its columns, tests and dependencies', () => {
    const manifest = buildManifest();
    expect(manifest.models.map((model) => model.name).sort()).toEqual(allModels.map((model) => model.name).sort());
    expect(manifest.sources).toEqual([
      'raw.decisions',
      'raw.merchants',
      'raw.order_events',
      'raw.order_outcomes',
      'raw.orders',
      'raw.products',
      'raw.shadow_decisions',
      'raw.users',
    ]);
    const fct = manifest.models.find((model) => model.name === 'fct_orders');
    expect(fct?.dependsOn).toEqual({ models: ['stg_orders', 'stg_decisions'], sources: [] });
    expect(fct?.columns[0]).toEqual({ name: 'order_id', description: 'Order key.' });
    expect(fct?.tests).toContainEqual({ name: 'relationships_fct_orders_user_id', type: 'relationships', severity: 'error' });
    expect(manifest.models.find((model) => model.name === 'fct_decision_labels')?.dependsOn).toEqual({
      models: ['stg_decisions', 'stg_shadow_decisions', 'fct_order_verdicts'],
      sources: [],
    });
    const comparison = manifest.models.find((model) => model.name === 'mart_shadow_comparison_daily');
    expect(comparison?.dependsOn).toEqual({ models: ['fct_decision_labels'], sources: [] });
    expect(comparison?.tests.filter((test) => test.type === 'custom').map((test) => test.name)).toEqual([
      'mart_shadow_comparison_daily_orders_add_up',
      'mart_shadow_comparison_daily_judged_within_flags',
    ]);
  });

  it('draws the lineage with raw tables, a subgraph per layer and an edge per ref', () => {
    const mermaid = lineageMermaid();
    expect(mermaid).toMatch(/^flowchart LR\n {2}subgraph raw\n {4}src_raw_decisions\[\(raw\.decisions\)\]/);
    expect(mermaid).toContain('    raw_order_events_flat[[raw_order_events_flat]]');
    expect(mermaid).toContain('    vw_customer_fraud_summary([vw_customer_fraud_summary])');
    expect(mermaid).toContain('  src_raw_orders --> stg_orders\n');
    expect(mermaid).toContain('  fct_orders --> mart_user_fraud_status\n');
    expect(mermaid).toContain('  src_raw_order_outcomes --> stg_order_outcomes\n');
    expect(mermaid).toContain('  fct_order_verdicts --> mart_label_risk_list\n');
    expect(mermaid).toContain('  fct_decision_labels --> mart_rule_quality_daily\n');
    expect(mermaid).toContain('  src_raw_shadow_decisions --> stg_shadow_decisions\n');
    expect(mermaid).toContain('  stg_shadow_decisions --> fct_decision_labels\n');
    expect(mermaid).toContain('  fct_decision_labels --> mart_shadow_comparison_daily\n');
  });

  it('keeps the README diagram in step with the models', async () => {
    const readme = await readFile(join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`mermaid\n${lineageMermaid()}\`\`\``);
  });

  it("keeps the README's count of models and data tests in step with the models", async () => {
    const readme = await readFile(join(__dirname, '..', 'README.md'), 'utf8');
    const tests = allModels.reduce((sum, model) => sum + model.tests.length, 0);
    expect(readme).toContain(`the project now has ${allModels.length} models and ${tests} data tests`);
  });

  it('writes the manifest, the diagram and a markdown page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'transforms-docs-'));
    try {
      const files = await writeDocs(join(dir, 'docs'));
      expect(JSON.parse(await readFile(files.manifest, 'utf8'))).toEqual(JSON.parse(JSON.stringify(buildManifest())));
      expect(await readFile(files.mermaid, 'utf8')).toBe(lineageMermaid());
      expect(await readFile(files.markdown, 'utf8')).toContain(`\`\`\`mermaid\n${lineageMermaid()}\`\`\``);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
