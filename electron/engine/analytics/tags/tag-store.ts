/**
 * The tag screen's data: the tag list with coverage, user rule tags saved and deleted. System tags are
 * defined in code (system-tags.ts) and cannot be deleted; user rule tags are rules in the DSL, validated
 * over the current catalog and evaluated at once for the latest tag run, so that coverage shows straight
 * after saving. Later analysis runs evaluate them again with everything else (compute-tags.ts).
 */
import type { TagInfo } from '../../../../shared/analytics';
import type { ParsedRequestOf } from '../../../../shared/api';
import { customerFieldCatalog } from '../../../../shared/rule-fields';
import { readSettings } from '../../settings-store';
import { compileRule, RuleError, validateRule } from '../../../../shared/rule-compiler';
import type { RuleNode } from '../../../../shared/rules';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { appendAudit } from '../../audit';
import type { JobContext } from '../../context';
import { latestRuns } from '../../customers/latest-runs';
import { localToday } from '../../customers/today';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { parseRuleJson, referencedTags } from '../rule-references';
import { POPULATION_SQL, knownSegments, knownTags, runCatalog } from './run-catalog';
import { SYSTEM_TAGS, TAG_CATEGORIES } from './system-tags';
import { insertTagHits } from './tag-writer';

interface TagRow {
  tag_id: string;
  name: string;
  category: string;
  description: string | null;
  kind: 'system' | 'rule';
  rule_json: string | null;
  created_at: string;
}

/** Every tag, system tags first within each category, with customers and share in the latest tag run. */
export function listTags(db: Db): TagInfo[] {
  const runId = latestRuns(db).tagRunId;
  const rows = db.prepare('SELECT tag_id, name, category, description, kind, rule_json, created_at FROM tags').all() as TagRow[];
  const coverage = runId === null ? new Map<string, { customers: number; population: number }>() : coverageOf(db, runId);
  const stored = new Set(rows.map((row) => row.tag_id));
  // Before the first analysis the system tags are not in the table yet; the screen still lists them.
  const today = { asOf: localToday(), settings: DEFAULT_SETTINGS, runId: 0, churnRunId: null, features: false };
  for (const tag of SYSTEM_TAGS) {
    if (stored.has(tag.id)) continue;
    rows.push({ tag_id: tag.id, name: tag.name, category: tag.category, description: tag.description(today), kind: 'system', rule_json: null, created_at: '' });
  }
  const systemOrder = new Map(SYSTEM_TAGS.map((tag, i) => [tag.id, i]));
  const categoryOrder = (category: string) => {
    const i = (TAG_CATEGORIES as readonly string[]).indexOf(category);
    return i < 0 ? TAG_CATEGORIES.length : i;
  };
  rows.sort(
    (a, b) =>
      categoryOrder(a.category) - categoryOrder(b.category) ||
      a.category.localeCompare(b.category) ||
      (a.kind === b.kind ? 0 : a.kind === 'system' ? -1 : 1) ||
      (systemOrder.get(a.tag_id) ?? 0) - (systemOrder.get(b.tag_id) ?? 0) ||
      a.created_at.localeCompare(b.created_at) ||
      a.tag_id.localeCompare(b.tag_id),
  );
  return rows.map((row) => toInfo(row, coverage.get(row.tag_id)));
}

/** Deletes a user rule tag with its assignments in every run. System tags and tags other rules name are refused. */
export function deleteTag(db: Db, tagId: string): null {
  const row = db.prepare('SELECT tag_id, name, kind FROM tags WHERE tag_id = ?').get(tagId) as Pick<TagRow, 'tag_id' | 'name' | 'kind'> | undefined;
  const system = SYSTEM_TAGS.find((tag) => tag.id === tagId);
  if (system || row?.kind === 'system') {
    throw new EngineError('bad_input', `“${system?.name ?? row?.name ?? tagId}”是系统标签，不能删除；不需要时在筛选中不选用即可`);
  }
  if (!row) throw new EngineError('not_found', '标签不存在或已被删除，请刷新标签列表');
  const dependants = tagsNaming(db, tagId);
  if (dependants.length > 0) {
    throw new EngineError('bad_input', `标签“${row.name}”被标签${dependants.map((name) => `“${name}”`).join('、')}的规则引用，请先删除这些标签`);
  }
  db.transaction(() => {
    // Assignments and coverage of every run go with it by the foreign keys' cascade. customer_tags has no
    // index leading with tag_id, so that is one scan of the table: acceptable for a rare action, where an
    // extra index would slow every analysis run's tag writing.
    db.prepare('DELETE FROM tags WHERE tag_id = ?').run(tagId);
    appendAudit(db, { action: 'tags.delete', params: { tagId, name: row.name } });
  })();
  return null;
}

/** Saves a user rule tag and evaluates it for the latest tag run, if there is one. */
export async function saveRuleTag(ctx: JobContext, request: ParsedRequestOf<'tags.saveRule'>): Promise<TagInfo> {
  const db = ctx.db();
  const name = request.name.trim();
  const category = request.category.trim();
  const description = request.description?.trim() || null;
  const rule: RuleNode = request.rule;

  const clash = (db.prepare('SELECT 1 FROM tags WHERE name = ?').get(name) as unknown) !== undefined || SYSTEM_TAGS.some((tag) => tag.name === name);
  if (clash) throw new EngineError('bad_input', `已有名为“${name}”的标签，请换一个名称`);

  const runs = latestRuns(db);
  const tagRun = runs.tagRunId === null ? null : (db.prepare('SELECT run_id, as_of FROM analysis_runs WHERE run_id = ?').get(runs.tagRunId) as { run_id: number; as_of: string | null });
  const asOf = tagRun?.as_of ?? localToday();
  // Validated over the catalog it will be evaluated on: the latest tag run's, or the latest runs' when
  // no tags have been computed yet (then `tag` is not a field and says so).
  const catalog = tagRun
    ? runCatalog(db, tagRun.run_id, asOf)
    : customerFieldCatalog({ featureRunId: runs.featureRunId, scoreRunId: runs.scoreRunId, tagRunId: null, asOf, tags: knownTags(db), segments: knownSegments(db), maskPii: readSettings(db).maskPii });
  const issues = validateRule(rule, catalog);
  if (issues.length > 0) throw new EngineError('bad_input', new RuleError(issues).message);
  ctx.throwIfCancelled();

  const tagId = nextUserTagId(db);
  const saved = db.transaction(() => {
    db.prepare("INSERT INTO tags (tag_id, name, category, description, kind, rule_json, created_at) VALUES (?, ?, ?, ?, 'rule', ?, ?)").run(
      tagId,
      name,
      category,
      description,
      JSON.stringify(rule),
      new Date().toISOString(),
    );
    let coverage: { customers: number; population: number } | undefined;
    if (tagRun) {
      ctx.progress('计算标签覆盖', 0, 1);
      const runCatalogWithTag = runCatalog(db, tagRun.run_id, asOf);
      insertTagHits(db, tagRun.run_id, asOf, runCatalogWithTag, [{ tagId, predicate: compileRule(rule, runCatalogWithTag) }]);
      const customers = db.prepare('SELECT count(*) FROM customer_tags WHERE run_id = ? AND tag_id = ?').pluck().get(tagRun.run_id, tagId) as number;
      const population = populationOfRun(db, tagRun.run_id, asOf);
      db.prepare('INSERT INTO tag_coverage (run_id, tag_id, customers, population) VALUES (?, ?, ?, ?)').run(tagRun.run_id, tagId, customers, population);
      coverage = { customers, population };
      ctx.progress('计算标签覆盖', 1, 1);
    }
    appendAudit(db, { action: 'tags.save', params: { tagId, name, category, rule }, rowCount: coverage?.customers ?? null });
    const row = db.prepare('SELECT tag_id, name, category, description, kind, rule_json, created_at FROM tags WHERE tag_id = ?').get(tagId) as TagRow;
    return toInfo(row, coverage);
  })();
  return saved;
}

function toInfo(row: TagRow, coverage: { customers: number; population: number } | undefined): TagInfo {
  const customers = coverage?.customers ?? 0;
  return {
    tagId: row.tag_id,
    name: row.name,
    category: row.category,
    description: row.description,
    kind: row.kind,
    rule: parseRuleJson(row.rule_json) as RuleNode | null,
    customers,
    coverage: coverage && coverage.population > 0 ? customers / coverage.population : 0,
  };
}

/**
 * Coverage of a run from tag_coverage, which compute-tags writes. A run tagged some other way has none;
 * then the assignments are counted (slower, but right).
 */
function coverageOf(db: Db, runId: number): Map<string, { customers: number; population: number }> {
  const rows = db.prepare('SELECT tag_id, customers, population FROM tag_coverage WHERE run_id = ?').all(runId) as { tag_id: string; customers: number; population: number }[];
  if (rows.length > 0) return new Map(rows.map((row) => [row.tag_id, { customers: row.customers, population: row.population }]));
  const asOf = (db.prepare('SELECT as_of FROM analysis_runs WHERE run_id = ?').pluck().get(runId) as string | null) ?? localToday();
  const population = populationOfRun(db, runId, asOf);
  const counts = db.prepare('SELECT tag_id, count(*) AS n FROM customer_tags WHERE run_id = ? GROUP BY tag_id').all(runId) as { tag_id: string; n: number }[];
  return new Map(counts.map((row) => [row.tag_id, { customers: row.n, population }]));
}

function populationOfRun(db: Db, runId: number, asOf: string): number {
  const stored = db.prepare('SELECT population FROM tag_coverage WHERE run_id = ? LIMIT 1').pluck().get(runId) as number | undefined;
  return stored ?? (db.prepare(`SELECT count(*) FROM customers c WHERE ${POPULATION_SQL}`).pluck().get(asOf) as number);
}

/** Names of the user rule tags whose rule names this tag. */
function tagsNaming(db: Db, tagId: string): string[] {
  const tags = knownTags(db);
  const rules = db.prepare("SELECT tag_id, name, rule_json FROM tags WHERE kind = 'rule' AND tag_id <> ?").all(tagId) as { tag_id: string; name: string; rule_json: string | null }[];
  return rules.filter((row) => referencedTags(parseRuleJson(row.rule_json), tags).has(tagId)).map((row) => row.name);
}

/** 'user.1', 'user.2', …: never reused while the workspace has a tag with a higher number. */
function nextUserTagId(db: Db): string {
  const ids = db.prepare("SELECT tag_id FROM tags WHERE tag_id LIKE 'user.%'").pluck().all() as string[];
  const max = Math.max(0, ...ids.map((id) => Number(id.slice(5))).filter(Number.isSafeInteger));
  return `user.${max + 1}`;
}
