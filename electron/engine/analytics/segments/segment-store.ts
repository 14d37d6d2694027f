/**
 * Saved segments (客群): clusters of a K-means run or the customers of a rule, frozen as member lists in
 * segment_members at the moment of saving. A campaign planned on 客群“高资产·低活跃” next week reaches the
 * same customers as the analyst saw today; the rule catalog's 所属客群 field reads those members, so a
 * segment is usable in every rule (customer list filters, tags, audiences).
 */
import type { ClusterProfile, SegmentInfo } from '../../../../shared/analytics';
import type { ParsedRequestOf } from '../../../../shared/api';
import { fromClause } from '../../../../shared/rule-fields';
import { compileRule, describeRule, RuleError, validateRule } from '../../../../shared/rule-compiler';
import type { RuleNode } from '../../../../shared/rules';
import { appendAudit } from '../../audit';
import type { JobContext } from '../../context';
import { listContext } from '../../customers/list-context';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { parseRuleJson, referencedSegments } from '../rule-references';
import { knownSegments } from '../tags/run-catalog';
import { readSegmentationRun, type StoredSegmentation } from './segmentation-run';

interface SegmentRow {
  segment_id: number;
  name: string;
  description: string | null;
  source: SegmentInfo['source'];
  rule_json: string | null;
  created_at: string;
  size: number;
}

const SELECT_SEGMENTS = `SELECT s.segment_id, s.name, s.description, s.source, s.rule_json, s.created_at,
  (SELECT count(*) FROM segment_members m WHERE m.segment_id = s.segment_id) AS size FROM segments s`;

/** Every segment, newest first, with its member count. */
export function listSegments(db: Db): SegmentInfo[] {
  return (db.prepare(`${SELECT_SEGMENTS} ORDER BY s.created_at DESC, s.segment_id DESC`).all() as SegmentRow[]).map(toInfo);
}

/** Deletes a segment and its members; refused while a user rule tag still names it. */
export function deleteSegment(db: Db, segmentId: number): null {
  const row = db.prepare('SELECT segment_id, name FROM segments WHERE segment_id = ?').get(segmentId) as { segment_id: number; name: string } | undefined;
  if (!row) throw new EngineError('not_found', '客群不存在或已被删除，请刷新客群列表');
  const segments = knownSegments(db);
  const tags = db.prepare("SELECT name, rule_json FROM tags WHERE kind = 'rule'").all() as { name: string; rule_json: string | null }[];
  const naming = tags.filter((tag) => referencedSegments(parseRuleJson(tag.rule_json), segments).has(segmentId)).map((tag) => `“${tag.name}”`);
  if (naming.length > 0) throw new EngineError('bad_input', `客群“${row.name}”被标签${naming.join('、')}的规则引用，请先删除这些标签`);
  db.transaction(() => {
    const members = db.prepare('SELECT count(*) FROM segment_members WHERE segment_id = ?').pluck().get(segmentId) as number;
    db.prepare('DELETE FROM segments WHERE segment_id = ?').run(segmentId);
    appendAudit(db, { action: 'segments.delete', params: { segmentId, name: row.name }, rowCount: members });
  })();
  return null;
}

/** One segment per chosen cluster of a segmentation run, named as the analyst chose or as suggested. */
export async function saveClusterSegments(ctx: JobContext, request: ParsedRequestOf<'segments.saveClusters'>): Promise<SegmentInfo[]> {
  const db = ctx.db();
  const run = readSegmentationRun(db, request.runId);
  const { clusters } = run.metrics;
  const indexes = [...new Set(request.clusters ?? clusters.map((c) => c.index))];
  if (indexes.length === 0) throw new EngineError('bad_input', '请至少选择一个分群');
  const unknown = indexes.filter((i) => !clusters.some((c) => c.index === i));
  if (unknown.length > 0) throw new EngineError('bad_input', `本次分群只有 ${clusters.length} 个群（编号 0–${clusters.length - 1}），没有编号 ${unknown.join('、')}`);

  const chosen = indexes.map((index) => {
    const profile = clusters.find((c) => c.index === index) as ClusterProfile;
    const name = request.names?.[index]?.trim() || profile.name;
    return { profile, name };
  });
  assertNamesFree(db, chosen.map((c) => c.name));

  ctx.throwIfCancelled();
  const saved = db.transaction(() => {
    const ids = chosen.map(({ profile, name }) => {
      const id = insertSegment(db, name, clusterDescription(run, profile), null, 'kmeans', run.runId);
      db.prepare('INSERT INTO segment_members (segment_id, customer_id) SELECT ?, customer_id FROM cluster_assignments WHERE run_id = ? AND cluster = ?').run(id, run.runId, profile.index);
      return id;
    });
    appendAudit(db, {
      action: 'segments.saveClusters',
      params: { runId: run.runId, segments: chosen.map(({ profile, name }, i) => ({ segmentId: ids[i], cluster: profile.index, name, size: profile.size })) },
      rowCount: chosen.reduce((total, c) => total + c.profile.size, 0),
    });
    return ids.map((id) => segmentInfo(db, id));
  })();
  return saved;
}

/** A segment of the customers a rule selects now, over the same catalog as the customer list. */
export async function saveRuleSegment(ctx: JobContext, request: ParsedRequestOf<'segments.saveRule'>): Promise<SegmentInfo> {
  const db = ctx.db();
  const name = request.name.trim();
  const rule: RuleNode = request.rule;
  assertNamesFree(db, [name]);
  // The customer list's catalog (latest runs, ages today): the segment holds exactly the customers the
  // analyst saw counted for this filter.
  const { catalog } = listContext(db);
  const issues = validateRule(rule, catalog);
  if (issues.length > 0) throw new EngineError('bad_input', new RuleError(issues).message);
  const compiled = compileRule(rule, catalog);
  const description = request.description?.trim() || `按规则保存：${describeRule(rule, catalog)}`;
  ctx.throwIfCancelled();

  return db.transaction(() => {
    const id = insertSegment(db, name, description, JSON.stringify(rule), 'rule', null);
    const from = fromClause(catalog);
    const members = db
      .prepare(`INSERT INTO segment_members (segment_id, customer_id) SELECT ?, c.customer_id FROM ${from.sql} WHERE ${compiled.sql}`)
      .run(id, ...from.params, ...compiled.params).changes;
    appendAudit(db, { action: 'segments.save', params: { segmentId: id, name, rule }, rowCount: members });
    return segmentInfo(db, id);
  })();
}

function insertSegment(db: Db, name: string, description: string, ruleJson: string | null, source: SegmentInfo['source'], runId: number | null): number {
  return Number(
    db
      .prepare('INSERT INTO segments (name, description, rule_json, source, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(name, description, ruleJson, source, runId, new Date().toISOString()).lastInsertRowid,
  );
}

/** Names must be unique among segments and within one save; the message lists every clash. */
function assertNamesFree(db: Db, names: readonly string[]): void {
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) throw new EngineError('bad_input', `客群名称重复：${[...new Set(repeated)].map((n) => `“${n}”`).join('、')}，请为每个群起不同的名称`);
  const exists = db.prepare('SELECT 1 FROM segments WHERE name = ?').pluck();
  const taken = names.filter((name) => exists.get(name) !== undefined);
  if (taken.length > 0) throw new EngineError('bad_input', `已有同名客群：${taken.map((n) => `“${n}”`).join('、')}，请换一个名称或先删除原客群`);
}

/** The profile in a sentence, for the segment list and exported campaign sheets. */
function clusterDescription(run: StoredSegmentation, profile: ClusterProfile): string {
  const { metrics } = run;
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const strong = profile.topFeatures.filter((f) => Math.abs(f.z) >= 0.5);
  const traits = (strong.length > 0 ? strong : profile.topFeatures.slice(0, 2))
    .map((f) => `${f.label}${f.z >= 0 ? '偏高' : '偏低'}（z=${f.z >= 0 ? '+' : ''}${f.z.toFixed(2)}）`)
    .join('、');
  const imputed = metrics.imputed.length > 0 ? `；缺失值按中位数填补：${metrics.imputed.map((i) => `${i.label} ${i.customers} 人`).join('、')}` : '';
  return (
    `K-means 分群第 ${profile.index + 1} 群（共 ${metrics.k} 群，数据日 ${run.asOf ?? '未知'}，特征：${metrics.features.map((f) => f.label).join('、')}）：` +
    `${profile.size} 人，占 ${pct(profile.share)}；${traits ? `特征：${traits}` : '各项特征接近全行平均'}${imputed}`
  );
}

function segmentInfo(db: Db, segmentId: number): SegmentInfo {
  return toInfo(db.prepare(`${SELECT_SEGMENTS} WHERE s.segment_id = ?`).get(segmentId) as SegmentRow);
}

function toInfo(row: SegmentRow): SegmentInfo {
  return {
    segmentId: row.segment_id,
    name: row.name,
    description: row.description,
    source: row.source,
    rule: parseRuleJson(row.rule_json) as RuleNode | null,
    size: row.size,
    createdAt: row.created_at,
  };
}
