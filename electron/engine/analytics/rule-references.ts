/**
 * The tags and segments a rule names. A rule may name a tag by id or by name (the compiler accepts both),
 * so names are resolved against the known tags. Used to evaluate tags that read other tags after those,
 * and to refuse deleting a tag or segment that a saved rule still needs.
 */
import type { RuleNode } from '../../../shared/rules';

interface Named<Id> {
  id: Id;
  name: string;
}

function conditions(rule: unknown, visit: (field: string, value: unknown) => void, depth = 0): void {
  if (depth > 20 || typeof rule !== 'object' || rule === null) return;
  const node = rule as Record<string, unknown>;
  if (Array.isArray(node.all)) for (const child of node.all) conditions(child, visit, depth + 1);
  if (Array.isArray(node.any)) for (const child of node.any) conditions(child, visit, depth + 1);
  if ('not' in node) conditions(node.not, visit, depth + 1);
  if (typeof node.field === 'string') visit(node.field, node.value);
}

const values = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v).trim());

export function referencedTags(rule: RuleNode | unknown, tags: readonly Named<string>[]): Set<string> {
  const byName = new Map(tags.map((tag) => [tag.name.trim().toLowerCase(), tag.id]));
  const found = new Set<string>();
  conditions(rule, (field, value) => {
    if (field !== 'tag') return;
    for (const v of values(value)) found.add(byName.get(v.toLowerCase()) ?? v);
  });
  return found;
}

export function referencedSegments(rule: RuleNode | unknown, segments: readonly Named<number>[]): Set<number> {
  const byName = new Map(segments.map((segment) => [segment.name.trim().toLowerCase(), segment.id]));
  const found = new Set<number>();
  conditions(rule, (field, value) => {
    if (field !== 'segment') return;
    for (const v of values(value)) {
      const id = byName.get(v.toLowerCase()) ?? (/^\d+$/.test(v) ? Number(v) : undefined);
      if (id !== undefined) found.add(id);
    }
  });
  return found;
}

/** Parses stored rule JSON; null when missing or unreadable. */
export function parseRuleJson(json: string | null): unknown {
  if (!json) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}
