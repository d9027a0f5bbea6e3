// Lineage docs generated from the model declarations: a JSON manifest and a Mermaid diagram (plain and in markdown).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildGraph } from './dag.js';
import { testName, type DataTest } from './data-tests.js';
import { MODEL_LAYERS, type Materialization, type Model } from './model.js';
import { allModels } from './models/index.js';

export interface ManifestModel {
  name: string;
  layer: string;
  description: string;
  tags: readonly string[];
  materialization: Materialization;
  columns: { name: string; description: string }[];
  tests: { name: string; type: DataTest['type']; severity: DataTest['severity'] }[];
  dependsOn: { models: readonly string[]; sources: readonly string[] };
}

export interface Manifest {
  sources: string[];
  models: ManifestModel[];
}

export function buildManifest(models: readonly Model[] = allModels): Manifest {
  const graph = buildGraph(models);
  const byName = new Map(models.map((model) => [model.name, model]));
  return {
    sources: [...new Set([...graph.sources.values()].flat())].sort(),
    models: graph.order.map((name) => {
      const model = byName.get(name) as Model;
      return {
        name,
        layer: model.layer,
        description: model.description,
        tags: model.tags,
        materialization: model.materialization,
        columns: Object.entries(model.columns).map(([column, description]) => ({ name: column, description })),
        tests: model.tests.map((test) => ({ name: testName(name, test), type: test.type, severity: test.severity })),
        dependsOn: { models: graph.parents.get(name) ?? [], sources: graph.sources.get(name) ?? [] },
      };
    }),
  };
}

const sourceNode = (source: string) => `src_${source.replace(/\W/g, '_')}`;

function modelNode(model: Model): string {
  const { kind } = model.materialization;
  return kind === 'view' ? `${model.name}([${model.name}])` : kind === 'incremental' ? `${model.name}[[${model.name}]]` : `${model.name}[${model.name}]`;
}

/** `flowchart LR` with a subgraph per layer: tables as boxes, incremental models double-edged, views rounded, raw tables as cylinders. */
export function lineageMermaid(models: readonly Model[] = allModels): string {
  const { sources, models: nodes } = buildManifest(models);
  const byName = new Map(models.map((model) => [model.name, model]));
  const lines = ['flowchart LR', '  subgraph raw', ...sources.map((source) => `    ${sourceNode(source)}[(${source})]`), '  end'];
  for (const layer of MODEL_LAYERS) {
    lines.push(`  subgraph ${layer}`);
    for (const node of nodes.filter((candidate) => candidate.layer === layer)) lines.push(`    ${modelNode(byName.get(node.name) as Model)}`);
    lines.push('  end');
  }
  for (const node of nodes) {
    for (const source of node.dependsOn.sources) lines.push(`  ${sourceNode(source)} --> ${node.name}`);
    for (const parent of node.dependsOn.models) lines.push(`  ${parent} --> ${node.name}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface DocsFiles {
  manifest: string;
  mermaid: string;
  markdown: string;
}

/** Writes `manifest.json`, `lineage.mmd` and `lineage.md` (the diagram and a model table) into `dir`. */
export async function writeDocs(dir: string, models: readonly Model[] = allModels): Promise<DocsFiles> {
  await mkdir(dir, { recursive: true });
  const manifest = buildManifest(models);
  const mermaid = lineageMermaid(models);
  const rows = manifest.models.map((model) => `| ${model.name} | ${model.layer} | ${model.materialization.kind} | ${model.tags.join(', ')} | ${model.description} |`);
  const markdown = [
    '# Transform lineage',
    '',
    'Generated from the model declarations in libs/transforms; do not edit by hand.',
    '',
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
    '| Model | Layer | Materialization | Tags | Description |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  const files: DocsFiles = { manifest: join(dir, 'manifest.json'), mermaid: join(dir, 'lineage.mmd'), markdown: join(dir, 'lineage.md') };
  await writeFile(files.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(files.mermaid, mermaid);
  await writeFile(files.markdown, markdown);
  return files;
}
