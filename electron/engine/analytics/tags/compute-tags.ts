/**
 * Tags of one analysis run: the system tag definitions are upserted into `tags`, then every system tag and
 * every user rule tag is evaluated over the run's catalog (run-catalog.ts) and written to `customer_tags`
 * by INSERT … SELECT (tag-writer.ts), so that no customer row passes through JavaScript. Coverage per tag
 * goes to `tag_coverage` for the tag screen.
 *
 * runAnalysis calls this inside its run, after the features and scores of `runId` are written. It all
 * happens in one transaction (a savepoint when the caller has one open): a failure or a cancellation
 * leaves the run's earlier tags, if any, as they were.
 */
import type { FieldCatalog, SqlFragment } from '../../../../shared/rule-fields';
import { compileRule, RuleError } from '../../../../shared/rule-compiler';
import type { RuleNode } from '../../../../shared/rules';
import { resolveSettings, type Settings } from '../../../../shared/settings';
import type { JobContext } from '../../context';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { readSettings } from '../../settings-store';
import { parseRuleJson, referencedTags } from '../rule-references';
import { isIsoDate } from '../dates';
import { createHoldingsSnapshot, dropHoldingsSnapshot, HOLDINGS_JOIN } from './holdings-snapshot';
import { POPULATION_SQL, knownTags, runCatalog } from './run-catalog';
import { SYSTEM_TAGS, type SystemTag, type TagContext } from './system-tags';
import { countTagsOfRun, insertTagHits, type TagPredicate } from './tag-writer';

export interface TagEvaluation {
  /** Customers per tag id, for every tag evaluated (0 included). */
  counts: Record<string, number>;
  /** Customers the tags were evaluated over: those on the books on the as-of date. */
  population: number;
  /** Tags that could not be evaluated for this run, with the reason, e.g. a user rule naming a deleted segment. */
  skipped: { tagId: string; name: string; message: string }[];
  seconds: number;
}

/** Evaluates every tag for the run and returns customers per tag id. See evaluateTags. */
export function computeTags(db: Db, runId: number, asOf: string, ctx?: JobContext): Record<string, number> {
  return evaluateTags(db, runId, asOf, ctx).counts;
}

export function evaluateTags(db: Db, runId: number, asOf: string, ctx?: JobContext): TagEvaluation {
  const started = performance.now();
  if (!Number.isInteger(runId) || runId <= 0) throw new Error(`runId must be a positive integer, got ${String(runId)}`);
  if (!isIsoDate(asOf)) throw new Error(`asOf must be 'YYYY-MM-DD', got ${String(asOf)}`);
  const run = db.prepare('SELECT params_json FROM analysis_runs WHERE run_id = ?').get(runId) as { params_json: string } | undefined;
  if (!run) throw new EngineError('not_found', `分析批次 ${runId} 不存在，无法计算标签，请重新运行客户分析`);
  const features = db.prepare('SELECT EXISTS (SELECT 1 FROM customer_features WHERE run_id = ?)').pluck().get(runId) === 1;
  const tagContext: TagContext = { asOf, settings: runSettings(db, run.params_json), runId, churnRunId: churnRun(db, runId, asOf), features };

  const result = db.transaction((): Omit<TagEvaluation, 'seconds'> => {
    ctx?.progress('计算标签', 0, SYSTEM_TAGS.length);
    upsertSystemTags(db, tagContext);
    const catalog = runCatalog(db, runId, asOf);
    db.prepare('DELETE FROM customer_tags WHERE run_id = ?').run(runId);
    db.prepare('DELETE FROM tag_coverage WHERE run_id = ?').run(runId);
    const { levels, names, skipped } = plan(db, tagContext, catalog);

    const total = levels.reduce((sum, level) => sum + level.length, 0);
    let done = 0;
    ctx?.throwIfCancelled();
    createHoldingsSnapshot(db, asOf);
    // The holdings snapshot joins like a catalog join; it is left out of statements whose tags do not read it.
    const writeCatalog: FieldCatalog = { ...catalog, joins: [...catalog.joins, HOLDINGS_JOIN] };
    try {
      for (const level of levels) {
        const before = done;
        insertTagHits(db, runId, asOf, writeCatalog, level, (evaluated) => {
          done = before + evaluated;
          ctx?.progress('计算标签', done, total);
          ctx?.throwIfCancelled();
        });
      }
    } finally {
      dropHoldingsSnapshot(db);
    }

    const population = db.prepare(`SELECT count(*) FROM customers c WHERE ${POPULATION_SQL}`).pluck().get(asOf) as number;
    const found = countTagsOfRun(db, runId);
    const counts = Object.fromEntries([...names.keys()].map((tagId) => [tagId, found.get(tagId) ?? 0]));
    const coverage = db.prepare('INSERT INTO tag_coverage (run_id, tag_id, customers, population) VALUES (?, ?, ?, ?)');
    for (const [tagId, customers] of Object.entries(counts)) coverage.run(runId, tagId, customers, population);
    return { counts, population, skipped };
  })();
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

/**
 * Every tag's predicate, grouped in levels: level 0 reads no tags (all system tags, most user tags); a
 * user tag naming other tags goes one level above the highest of them, so that it is written after them.
 * A user tag can only name tags that existed when it was saved, so creation order settles every level.
 */
function plan(db: Db, tagContext: TagContext, catalog: FieldCatalog): { levels: TagPredicate[][]; names: Map<string, string>; skipped: TagEvaluation['skipped'] } {
  const levels: TagPredicate[][] = [[]];
  const levelOf = new Map<string, number>();
  const names = new Map<string, string>();
  const skipped: TagEvaluation['skipped'] = [];
  const add = (tagId: string, name: string, level: number, predicate: Predicate) => {
    names.set(tagId, name);
    if ('error' in predicate) {
      skipped.push({ tagId, name, message: predicate.error });
      return;
    }
    levelOf.set(tagId, level);
    (levels[level] ??= []).push({ tagId, predicate });
  };

  for (const tag of SYSTEM_TAGS) add(tag.id, tag.name, 0, systemPredicate(tag, tagContext, catalog));

  const tags = knownTags(db);
  const userTags = db.prepare("SELECT tag_id, name, rule_json FROM tags WHERE kind = 'rule' ORDER BY created_at, tag_id").all() as { tag_id: string; name: string; rule_json: string | null }[];
  for (const tag of userTags) {
    const rule = parseRuleJson(tag.rule_json);
    const references = [...referencedTags(rule, tags)];
    // Saved rules only name earlier tags; a rule edited by hand to name itself or a later tag is refused
    // rather than evaluated against rows that are not there yet.
    const premature = references.some((id) => id === tag.tag_id || (tags.some((t) => t.id === id) && !names.has(id)));
    const level = 1 + Math.max(-1, ...references.map((id) => levelOf.get(id) ?? 0));
    if (premature) {
      add(tag.tag_id, tag.name, level, { error: '规则引用了自身或之后创建的标签，请删除后重新定义' });
      continue;
    }
    add(tag.tag_id, tag.name, level, rule === null ? { error: '标签规则缺失或已损坏，请删除后重新定义' } : compiled(rule as RuleNode, catalog));
  }
  return { levels: levels.filter((level) => level !== undefined && level.length > 0), names, skipped };
}

type Predicate = SqlFragment | { error: string };

function systemPredicate(tag: SystemTag, tagContext: TagContext, catalog: FieldCatalog): Predicate {
  if (tag.definition.kind === 'sql') return tag.definition.predicate(tagContext);
  return compiled(tag.definition.rule(tagContext), catalog);
}

function compiled(rule: RuleNode, catalog: FieldCatalog): Predicate {
  try {
    return compileRule(rule, catalog);
  } catch (error) {
    // A field the run lacks (no scores) or a tag or segment deleted since: the tag is empty for this run,
    // and the run goes on.
    if (error instanceof RuleError) return { error: error.message };
    throw error;
  }
}

/** The system tags as of this run: descriptions and rules carry the run's thresholds and dates. */
function upsertSystemTags(db: Db, tagContext: TagContext): void {
  const upsert = db.prepare(
    `INSERT INTO tags (tag_id, name, category, description, kind, rule_json, created_at) VALUES (?, ?, ?, ?, 'system', ?, ?)
     ON CONFLICT (tag_id) DO UPDATE SET name = excluded.name, category = excluded.category, description = excluded.description, kind = 'system', rule_json = excluded.rule_json`,
  );
  const now = new Date().toISOString();
  for (const tag of SYSTEM_TAGS) {
    const rule = tag.definition.kind === 'rule' ? JSON.stringify(tag.definition.rule(tagContext)) : null;
    upsert.run(tag.id, tag.name, tag.category, tag.description(tagContext), rule, now);
  }
}

/** The settings the run recorded (runAnalysis stores them in params.settings), else the current ones. */
function runSettings(db: Db, paramsJson: string): Settings {
  const params = parseRuleJson(paramsJson) as { settings?: unknown } | null;
  if (params?.settings && typeof params.settings === 'object') return resolveSettings(params.settings as Record<string, unknown>);
  return readSettings(db);
}

/**
 * The churn scores the 流失风险 tag reads: the run itself when it carries churn probabilities, else the
 * latest succeeded run that does with an as-of date not after this one. Probed through the
 * (run_id, churn_prob) index, so a run without churn scores costs one index seek.
 */
function churnRun(db: Db, runId: number, asOf: string): number | null {
  const scored = db.prepare('SELECT EXISTS (SELECT 1 FROM customer_scores WHERE run_id = ? AND churn_prob IS NOT NULL) AS found').pluck();
  if (scored.get(runId) === 1) return runId;
  const candidates = db
    .prepare("SELECT run_id FROM analysis_runs WHERE status = 'succeeded' AND as_of IS NOT NULL AND as_of <= ? AND run_id <> ? ORDER BY as_of DESC, run_id DESC")
    .pluck()
    .all(asOf, runId) as number[];
  return candidates.find((id) => scored.get(id) === 1) ?? null;
}
