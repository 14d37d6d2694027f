/**
 * Saved segments: clusters of a segmentation run and rule segments become member lists, usable in rules
 * through the catalog's `segment` field; names are unique; deletion is audited and refused while a rule
 * tag names the segment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCustomers } from '../../../../electron/engine/analytics/segments/cluster-customers';
import { deleteSegment, listSegments, saveClusterSegments, saveRuleSegment } from '../../../../electron/engine/analytics/segments/segment-store';
import { evaluateTags } from '../../../../electron/engine/analytics/tags/compute-tags';
import { deleteTag, saveRuleTag } from '../../../../electron/engine/analytics/tags/tag-store';
import { listAudit } from '../../../../electron/engine/audit';
import { standaloneJobContext } from '../../../../electron/engine/context';
import { customerCount } from '../../../../electron/engine/customers/customer-list';
import { listContext } from '../../../../electron/engine/customers/list-context';
import type { SegmentationResult } from '../../../../shared/analytics';
import { compileRule } from '../../../../shared/rule-compiler';
import { fromClause } from '../../../../shared/rule-fields';
import type { RuleNode } from '../../../../shared/rules';
import { tempWorkspace, type TempWorkspace } from '../../customers/fixture';
import { plantClusters, PLANTED_AS_OF, type Planted } from '../support/planted-clusters';

describe('segment store', () => {
  let ws: TempWorkspace;
  let planted: Planted;
  let result: SegmentationResult;
  const ctx = () => standaloneJobContext(ws.db);

  /** Customers a rule selects, compiled the way every screen compiles it. */
  const count = (rule: RuleNode) => {
    const { catalog } = listContext(ws.db);
    const compiled = compileRule(rule, catalog);
    const from = fromClause(catalog);
    return ws.db.prepare(`SELECT count(*) FROM ${from.sql} WHERE ${compiled.sql}`).pluck().get(...from.params, ...compiled.params) as number;
  };

  beforeAll(async () => {
    ws = tempWorkspace();
    planted = plantClusters(ws.db, 200);
    result = await clusterCustomers(ctx(), { features: ['aum_avg_3m', 'age', 'txn_count_90d', 'mobile_share'], k: 4, seed: 5 });
  });
  afterAll(() => ws.close());

  it('saves chosen clusters as segments, named as given or as suggested', async () => {
    const saved = await saveClusterSegments(ctx(), { runId: result.runId, names: ['', '年轻活跃客群'], clusters: [0, 1] });
    expect(saved.map((s) => s.name)).toEqual([result.clusters[0]!.name, '年轻活跃客群']);
    expect(saved.map((s) => s.size)).toEqual([result.clusters[0]!.size, result.clusters[1]!.size]);
    expect(saved.every((s) => s.source === 'kmeans' && s.rule === null)).toBe(true);
    expect(saved[0]!.description).toMatch(/^K-means 分群第 1 群（共 4 群，数据日 2024-06-30，特征：近3个月日均资产、年龄、近90天交易笔数、手机银行交易占比）/);
    expect(saved[0]!.description).toMatch(/缺失值按中位数填补：近90天交易笔数 \d+ 人/);
    const members = ws.db.prepare('SELECT customer_id FROM segment_members WHERE segment_id = ? ORDER BY 1').pluck().all(saved[1]!.segmentId);
    const expected = ws.db.prepare('SELECT customer_id FROM cluster_assignments WHERE run_id = ? AND cluster = 1 ORDER BY 1').pluck().all(result.runId);
    expect(members).toEqual(expected);
    expect(listAudit(ws.db, 0, 1).entries[0]).toMatchObject({ action: 'segments.saveClusters', rowCount: saved[0]!.size + saved[1]!.size });
  });

  it('makes saved segments usable in rules, by id or by name', () => {
    const [young] = listSegments(ws.db).filter((s) => s.name === '年轻活跃客群');
    expect(count({ field: 'segment', op: '=', value: young!.segmentId })).toBe(young!.size);
    expect(count({ field: 'segment', op: '=', value: '年轻活跃客群' })).toBe(young!.size);
    expect(count({ field: 'segment', op: '!=', value: young!.segmentId })).toBe(planted.truth.size - young!.size);
    expect(customerCount(ws.db, { filter: { field: 'segment', op: 'in', value: [young!.segmentId] } })).toBe(young!.size);
  });

  it('refuses names already taken or repeated, in Chinese', async () => {
    await expect(saveClusterSegments(ctx(), { runId: result.runId, names: ['年轻活跃客群'], clusters: [0] })).rejects.toThrow(/已有同名客群：“年轻活跃客群”/);
    await expect(saveClusterSegments(ctx(), { runId: result.runId, names: ['甲', '甲'], clusters: [0, 1] })).rejects.toThrow(/客群名称重复：“甲”/);
    await expect(saveClusterSegments(ctx(), { runId: result.runId, clusters: [7] })).rejects.toThrow(/没有编号 7/);
    await expect(saveClusterSegments(ctx(), { runId: planted.runId })).rejects.toThrow(/找不到分群结果/);
    await expect(saveRuleSegment(ctx(), { name: '年轻活跃客群', rule: { field: 'age', op: '<', value: 30 } })).rejects.toThrow(/已有同名客群/);
  });

  it('saves a rule segment with its members as of now', async () => {
    const rule: RuleNode = { all: [{ field: 'age', op: '>=', value: 60 }, { field: 'aum_avg_3m', op: '>=', value: '50万' }] };
    const saved = await saveRuleSegment(ctx(), { name: '高资产老年', rule });
    expect(saved).toMatchObject({ name: '高资产老年', source: 'rule', rule });
    expect(saved.size).toBe(count(rule));
    expect(saved.size).toBeGreaterThan(0);
    expect(saved.description).toBe('按规则保存：年龄 ≥ 60 且 近3个月日均资产 ≥ 500,000');
    expect(count({ field: 'segment', op: '=', value: saved.segmentId })).toBe(saved.size);
    expect(listAudit(ws.db, 0, 1).entries[0]).toMatchObject({ action: 'segments.save', rowCount: saved.size });
    await expect(saveRuleSegment(ctx(), { name: '坏规则', rule: { field: 'mobile', op: '=', value: '13800000000' } })).rejects.toThrow(/不允许按“手机号码”筛选/);
  });

  it('lists segments newest first with sizes', () => {
    const segments = listSegments(ws.db);
    expect(segments.map((s) => s.name)).toEqual(['高资产老年', '年轻活跃客群', result.clusters[0]!.name]);
    for (const s of segments) expect(s.size).toBe(ws.db.prepare('SELECT count(*) FROM segment_members WHERE segment_id = ?').pluck().get(s.segmentId));
  });

  it('refuses to delete a segment a rule tag names, then deletes and audits', async () => {
    const run = ws.db.prepare("INSERT INTO analysis_runs (kind, as_of, status, started_at) VALUES ('customer_analysis', ?, 'succeeded', 'now')").run(PLANTED_AS_OF);
    evaluateTags(ws.db, Number(run.lastInsertRowid), PLANTED_AS_OF);
    const segment = listSegments(ws.db).find((s) => s.name === '高资产老年')!;
    const tag = await saveRuleTag(ctx(), { name: '高资产老年客群', category: '价值', rule: { field: 'segment', op: '=', value: '高资产老年' } });
    expect(tag.customers).toBe(segment.size);
    expect(() => deleteSegment(ws.db, segment.segmentId)).toThrow(/客群“高资产老年”被标签“高资产老年客群”的规则引用/);
    deleteTag(ws.db, tag.tagId);
    deleteSegment(ws.db, segment.segmentId);
    expect(listSegments(ws.db).some((s) => s.segmentId === segment.segmentId)).toBe(false);
    expect(ws.db.prepare('SELECT count(*) FROM segment_members WHERE segment_id = ?').pluck().get(segment.segmentId)).toBe(0);
    expect(listAudit(ws.db, 0, 1).entries[0]).toMatchObject({ action: 'segments.delete', params: { segmentId: segment.segmentId, name: '高资产老年' }, rowCount: segment.size });
    expect(() => deleteSegment(ws.db, segment.segmentId)).toThrow(/客群不存在/);
  });
});
