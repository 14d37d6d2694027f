/**
 * The rule builder's editable tree and its two-way conversion with the rule DSL (shared/rules.ts).
 *
 * The builder edits groups (全部满足 / 任一满足, optionally negated) holding conditions and further groups;
 * a condition may be negated too. Values are edited as text, the way inputs and selects hold them, and
 * turned into typed scalars only when the rule is built: numbers on number fields, booleans on boolean
 * fields, shares entered in percent (35 → 0.35).
 *
 * `fromRule(rule)` then `toRule(model)` gives back the same rule for everything the builder writes
 * (nested groups, `not` on a group or a condition, every operator). Rules written elsewhere come back
 * equivalent: a bare condition at the root is wrapped in 全部满足, a double `not` becomes a negated group.
 */
import type { RuleFieldInfo } from '../../../../shared/api';
import type { RuleIssue } from '../../../../shared/rule-compiler';
import type { FieldCatalog, RuleField } from '../../../../shared/rule-fields';
import type { RuleCondition, RuleNode, RuleOperator, RuleScalar } from '../../../../shared/rules';

export interface EditCondition {
  id: number;
  kind: 'condition';
  negate: boolean;
  field: string;
  op: RuleOperator | '';
  /** One value; the low bound of `between`; for `is_null`, 'true' (为空) or 'false' (不为空). */
  value: string;
  /** The high bound of `between`. */
  value2: string;
  /** The values of `in` / `not_in`. */
  values: string[];
}

export interface EditGroup {
  id: number;
  kind: 'group';
  mode: 'all' | 'any';
  negate: boolean;
  children: EditNode[];
}

export type EditNode = EditGroup | EditCondition;

/** What the builder reports on every edit. */
export interface BuilderState {
  /** The rule without rows the analyst has not filled in yet. */
  rule: RuleNode;
  /** Problems the shared compiler finds in it; the count waits until there are none. */
  issues: RuleIssue[];
  conditions: number;
}

/** How a builder field behaves: what the value input looks like and how text becomes a scalar. */
export type FieldLookup = (key: string) => RuleFieldInfo | RuleField | undefined;

let lastId = 0;
const nextId = () => (lastId += 1);

export function newCondition(field = '', op: RuleOperator | '' = ''): EditCondition {
  return { id: nextId(), kind: 'condition', negate: false, field, op, value: '', value2: '', values: [] };
}

export function newGroup(mode: 'all' | 'any' = 'all', children: EditNode[] = []): EditGroup {
  return { id: nextId(), kind: 'group', mode, negate: false, children };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------------------
// Values

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function isNumeric(field: RuleFieldInfo | RuleField | undefined): boolean {
  return !!field && field.kind === 'column' && (field.type === 'number' || field.type === 'money');
}

/** A share (0–1) shown in percent, without floating noise: 0.35 → '35'. */
function percentText(value: number): string {
  return String(Number((value * 100).toFixed(6)));
}

/** The text an input shows for a scalar of the rule. */
export function scalarText(field: RuleFieldInfo | RuleField | undefined, value: RuleScalar | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return field?.percent ? percentText(value) : String(value);
  if (field?.percent && /^\s*[+-]?[\d.]+\s*[%％]\s*$/.test(value)) return value.replace(/[%％\s]/g, '');
  return value;
}

/** The scalar a rule carries for the text of an input. */
export function textScalar(field: RuleFieldInfo | RuleField | undefined, text: string): RuleScalar {
  const trimmed = text.trim();
  // Segment ids are numbers in the rule; the select holds them as text.
  if (field?.kind === 'segment' && /^\d+$/.test(trimmed)) return Number(trimmed);
  if (field?.type === 'boolean' && field.kind === 'column') {
    if (trimmed === 'true') return true;
    if (trimmed === 'false') return false;
    return trimmed;
  }
  if (isNumeric(field)) {
    const plainNumber = trimmed.replace(/[,，\s]/g, '');
    if (NUMBER.test(plainNumber)) {
      const n = Number(plainNumber);
      // Dividing by 100 keeps 29 at exactly 0.29.
      return field?.percent ? n / 100 : n;
    }
  }
  return trimmed;
}

// ---------------------------------------------------------------------------------------------------------
// RuleNode → editable tree

/** The editable tree of a rule; the root is always a group. */
export function fromRule(rule: RuleNode | null | undefined, lookup: FieldLookup): EditGroup {
  if (!rule) return newGroup('all');
  const node = fromNode(rule, lookup);
  return node.kind === 'group' ? node : newGroup('all', [node]);
}

function fromNode(node: RuleNode, lookup: FieldLookup): EditNode {
  if (isRecord(node) && 'all' in node && Array.isArray(node.all)) return newGroup('all', node.all.map((c) => fromNode(c, lookup)));
  if (isRecord(node) && 'any' in node && Array.isArray(node.any)) return newGroup('any', node.any.map((c) => fromNode(c, lookup)));
  if (isRecord(node) && 'not' in node) {
    const inner = fromNode(node.not, lookup);
    if (!inner.negate) return { ...inner, negate: true };
    // not(not(x)): keep both negations visible, one on a group around the other.
    return { ...newGroup('all', [inner]), negate: true };
  }
  return fromCondition(node as RuleCondition, lookup);
}

function fromCondition(node: RuleCondition, lookup: FieldLookup): EditCondition {
  const field = lookup(node.field);
  const c = newCondition(node.field, node.op);
  const value = node.value;
  switch (node.op) {
    case 'is_null':
      c.value = value === false ? 'false' : 'true';
      break;
    case 'between':
      if (Array.isArray(value)) {
        c.value = scalarText(field, value[0]);
        c.value2 = scalarText(field, value[1]);
      }
      break;
    case 'in':
    case 'not_in':
      c.values = (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]).map((v) => scalarText(field, v));
      break;
    default:
      c.value = Array.isArray(value) ? scalarText(field, value[0]) : scalarText(field, value);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------------------
// Editable tree → RuleNode

export interface BuildOptions {
  /**
   * Leave out what the analyst has not filled in yet: conditions without a field, and groups left empty
   * by that. For the live count and for saving; a plain round trip keeps everything.
   */
  prune?: boolean;
}

export function toRule(group: EditGroup, lookup: FieldLookup, options: BuildOptions = {}): RuleNode {
  return buildRule(group, lookup, options).rule;
}

/**
 * The rule and, for every node kept in it, its position as the rule compiler names it in messages
 * ('2.1' for 条件 2.1; '' for the root), so that each problem shows next to the row it is about.
 */
export function buildRule(group: EditGroup, lookup: FieldLookup, options: BuildOptions = {}): { rule: RuleNode; paths: Map<number, string> } {
  const paths = new Map<number, string>();
  const rule = groupRule(group, lookup, options, [], paths) ?? { all: [] };
  return { rule, paths };
}

function groupRule(group: EditGroup, lookup: FieldLookup, options: BuildOptions, path: number[], paths: Map<number, string>): RuleNode | null {
  const children: RuleNode[] = [];
  for (const child of group.children) {
    const childPath = [...path, children.length + 1];
    // Positions inside a child group count only once the group is kept.
    const inner = new Map<number, string>();
    const node = child.kind === 'group' ? groupRule(child, lookup, options, childPath, inner) : conditionRule(child, lookup, options);
    if (node === null) continue;
    children.push(node);
    for (const [id, at] of inner) paths.set(id, at);
    paths.set(child.id, childPath.join('.'));
  }
  if (options.prune && children.length === 0 && group.children.length > 0 && path.length > 0) return null;
  const node: RuleNode = group.mode === 'all' ? { all: children } : { any: children };
  if (path.length === 0) paths.set(group.id, '');
  return group.negate ? { not: node } : node;
}

function conditionRule(c: EditCondition, lookup: FieldLookup, options: BuildOptions): RuleNode | null {
  if (options.prune && (!c.field || !c.op)) return null;
  const field = lookup(c.field);
  const base = { field: c.field, op: c.op as RuleOperator };
  let node: RuleCondition;
  switch (c.op) {
    case 'is_null':
      node = { ...base, value: c.value !== 'false' };
      break;
    case 'between':
      node = { ...base, value: [textScalar(field, c.value), textScalar(field, c.value2)] };
      break;
    case 'in':
    case 'not_in':
      node = { ...base, value: c.values.map((v) => textScalar(field, v)) };
      break;
    default:
      node = { ...base, value: textScalar(field, c.value) };
  }
  return c.negate ? { not: node } : node;
}

// ---------------------------------------------------------------------------------------------------------
// Edits

/** What a condition holds once its field changes: the field's first operator and no values. */
export function resetForField(c: EditCondition, key: string, lookup: FieldLookup): void {
  c.field = key;
  const field = lookup(key);
  c.op = field?.operators[0] ?? '';
  c.value = '';
  c.value2 = '';
  c.values = [];
}

/** Keeps what still fits when the operator changes: a single value moves into a list and back. */
export function changeOperator(c: EditCondition, op: RuleOperator): void {
  const wasList = c.op === 'in' || c.op === 'not_in';
  const isList = op === 'in' || op === 'not_in';
  if (!wasList && isList) c.values = c.value && c.op !== 'is_null' ? [c.value] : [];
  if (wasList && !isList) c.value = c.values[0] ?? '';
  if (op === 'is_null') c.value = 'true';
  else if (c.op === 'is_null') c.value = '';
  if (op !== 'between') c.value2 = '';
  c.op = op;
}

/** Conditions of the tree, at any depth. */
export function countConditions(group: EditGroup): number {
  return group.children.reduce((n, child) => n + (child.kind === 'group' ? countConditions(child) : 1), 0);
}

/** Depth of nesting of the tree (the root group is 1). */
export function groupDepth(group: EditGroup): number {
  return 1 + Math.max(0, ...group.children.filter((c): c is EditGroup => c.kind === 'group').map(groupDepth));
}

// ---------------------------------------------------------------------------------------------------------
// Catalog

/**
 * A field catalog for validateRule and describeRule from what `customers.fields` returns. The SQL stays in
 * the engine; checking and describing a rule never read it.
 */
export function catalogFromInfo(fields: readonly RuleFieldInfo[], unavailable: Readonly<Record<string, string>>): FieldCatalog {
  return {
    fields: Object.fromEntries(fields.map((f) => [f.key, { ...f, sql: '' } satisfies RuleField])),
    unavailable: { ...unavailable },
    from: '',
    joins: [],
  };
}
