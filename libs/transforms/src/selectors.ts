// Picks the models a run builds: by name, `layer:<layer>` or `tag:<tag>`, with `+x` adding ancestors and `x+` descendants.
import { ProjectError, type ModelGraph } from './dag.js';
import type { Model } from './model.js';

function closure(start: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...(edges.get(name) ?? []));
  }
  return seen;
}

function matchBase(base: string, models: readonly Model[]): string[] {
  const [prefix, value] = base.includes(':') ? (base.split(':', 2) as [string, string]) : ['name', base];
  const matches = models.filter((model) => {
    switch (prefix) {
      case 'name':
        return model.name === value;
      case 'layer':
        return model.layer === value;
      case 'tag':
        return model.tags.includes(value);
      default:
        throw new ProjectError(`unknown selector method '${prefix}:' in '${base}': use a model name, layer:<layer> or tag:<tag>`);
    }
  });
  if (matches.length === 0) throw new ProjectError(`selector '${base}' matches no model`);
  return matches.map((model) => model.name);
}

/**
 * The selected model names in dependency order. Selectors are unioned; a string may hold several separated by spaces.
 * No selector (or an empty list) selects every model.
 */
export function selectModels(graph: ModelGraph, models: readonly Model[], select?: string | readonly string[]): string[] {
  const tokens = (typeof select === 'string' ? [select] : (select ?? [])).flatMap((entry) => entry.split(/\s+/)).filter(Boolean);
  if (tokens.length === 0) return [...graph.order];
  const selected = new Set<string>();
  for (const token of tokens) {
    const withAncestors = token.startsWith('+');
    const withDescendants = token.endsWith('+') && token.length > 1;
    const base = token.slice(withAncestors ? 1 : 0, withDescendants ? -1 : undefined);
    const matched = matchBase(base, models);
    for (const name of matched) selected.add(name);
    if (withAncestors) for (const name of closure(matched, graph.parents)) selected.add(name);
    if (withDescendants) for (const name of closure(matched, graph.children)) selected.add(name);
  }
  return graph.order.filter((name) => selected.has(name));
}
