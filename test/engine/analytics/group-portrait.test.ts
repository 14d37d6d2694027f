/**
 * Group portraits on a generated 2,000-customer branch: groups chosen by tag, segment and rule, each beside
 * the branch. Every distribution sums to 1 on both sides, the branch column is the whole population (and
 * the same whatever the group), and a few figures agree with the raw rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupPortrait } from '../../../electron/engine/analytics/group-portrait';
import { saveRuleSegment } from '../../../electron/engine/analytics/segments/segment-store';
import { evaluateTags } from '../../../electron/engine/analytics/tags/compute-tags';
import { standaloneJobContext } from '../../../electron/engine/context';
import { customerCount } from '../../../electron/engine/customers/customer-list';
import { localToday } from '../../../electron/engine/customers/today';
import type { Db } from '../../../electron/engine/db/workspace';
import type { GroupPortrait } from '../../../shared/analytics';
import type { RuleNode } from '../../../shared/rules';
import { ageOn } from '../../../shared/values';
import { tempDir } from '../../support/temp';
import { insertAnalysisRun } from './support/analysis-fixture';
import { createDemo, openDemo } from './support/demo-workspace';

const dir = tempDir();
let db: Db;
let bare: Db;

/** Shares and counts add up on both sides of every distribution; penetration is per customer. */
function expectConsistent(p: GroupPortrait): void {
  for (const dim of p.dimensions) {
    expect(dim.group.map((g) => g.label), dim.key).toEqual(dim.branch.map((b) => b.label));
    const sum = (items: typeof dim.group, key: 'share' | 'count') => items.reduce((total, item) => total + item[key], 0);
    if (dim.measure === 'penetration') {
      for (const item of dim.branch) expect(item.share, `${dim.key} ${item.label}`).toBeCloseTo(item.count / p.branchSize, 12);
      for (const item of dim.group) expect(item.share, `${dim.key} ${item.label}`).toBeCloseTo(p.size > 0 ? item.count / p.size : 0, 12);
      continue;
    }
    expect(sum(dim.branch, 'share'), dim.key).toBeCloseTo(1, 10);
    if (p.size > 0) expect(sum(dim.group, 'share'), dim.key).toBeCloseTo(1, 10);
    if (dim.key !== 'channel') {
      // Customer distributions: the branch column is every customer, the group column the group.
      expect(sum(dim.branch, 'count'), dim.key).toBe(p.branchSize);
      expect(sum(dim.group, 'count'), dim.key).toBe(p.size);
    }
  }
}

beforeAll(async () => {
  const path = await createDemo(dir);
  db = openDemo(path);
  const run = insertAnalysisRun(db);
  evaluateTags(db, run.runId, run.asOf);
  bare = openDemo(await createDemo(dir, 1_000, 'bare.bpw'));
});
afterAll(() => {
  db?.close();
  bare?.close();
});

describe('group portrait', () => {
  it('puts groups chosen by tag, segment and rule beside the whole branch', async () => {
    const segment = await saveRuleSegment(standaloneJobContext(db), { name: '中青年高资产', rule: { all: [{ field: 'age', op: '<', value: 50 }, { field: 'value_tier', op: 'in', value: ['wealth', 'private'] }] } });
    const filters: RuleNode[] = [
      { field: 'tag', op: 'has_tag', value: '老年客户' },
      { field: 'segment', op: '=', value: segment.segmentId },
      { all: [{ field: 'gender', op: '=', value: '女' }, { field: 'tag', op: 'has_tag', value: 'sys.mobile_active' }] },
    ];
    const portraits = filters.map((filter) => groupPortrait(db, { filter }));
    const total = db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
    portraits.forEach((p, i) => {
      expect(p.branchSize).toBe(total);
      expect(p.size).toBe(customerCount(db, { filter: filters[i] }));
      expect(p.size).toBeGreaterThan(0);
      expectConsistent(p);
      // The branch side does not depend on the group.
      expect(p.dimensions.map((d) => d.branch)).toEqual(portraits[0]!.dimensions.map((d) => d.branch));
    });
    expect(portraits[1]!.size).toBe(segment.size);
    expect(portraits[0]!.description).toBe('有标签 老年客户');
    expect(portraits[1]!.description).toBe('所属客群 = 中青年高资产');
    expect(portraits[0]!.dimensions.map((d) => d.key)).toEqual(['age', 'gender', 'occupation', 'tier', 'aum', 'products', 'channel', 'lifecycle', 'community']);
  });

  it('agrees with the raw rows on ages, products and the summary', () => {
    const filter: RuleNode = { field: 'occupation', op: '=', value: '退休人员' };
    const p = groupPortrait(db, { filter, description: '退休人员' });
    expect(p.description).toBe('退休人员');
    const today = localToday();
    const retired = db.prepare("SELECT customer_id, birth_date FROM customers WHERE occupation = '退休人员'").all() as { customer_id: string; birth_date: string | null }[];
    const ages = retired.filter((c) => c.birth_date).map((c) => ageOn(c.birth_date!, today));
    const age = p.dimensions.find((d) => d.key === 'age')!;
    expect(age.group.find((g) => g.label === '70岁及以上')!.count).toBe(ages.filter((a) => a >= 70).length);
    expect(age.group.find((g) => g.label === '60–69岁')!.count).toBe(ages.filter((a) => a >= 60 && a < 70).length);
    expect(p.summary.find((s) => s.key === 'avg_age')!.group).toBeCloseTo(ages.reduce((a, b) => a + b, 0) / ages.length, 8);

    const mortgage = db
      .prepare("SELECT count(DISTINCT h.customer_id) FROM holdings h JOIN products p USING (product_id) WHERE p.category = 'mortgage' AND h.opened_at <= ? AND (h.closed_at IS NULL OR h.closed_at > ?)")
      .pluck()
      .get(today, today) as number;
    expect(p.dimensions.find((d) => d.key === 'products')!.branch.find((b) => b.label === '房贷')!.count).toBe(mortgage);

    const customers = p.summary.find((s) => s.key === 'customers')!;
    expect(customers).toMatchObject({ group: retired.length, branch: p.branchSize, unit: '人' });
    expect(p.summary.map((s) => s.key)).toEqual(['customers', 'avg_age', 'avg_aum', 'avg_products', 'mobile_share']);
    const mobile = p.summary.find((s) => s.key === 'mobile_share')!;
    expect(mobile.branch).toBeGreaterThan(0);
    expect(mobile.branch).toBeLessThan(1);
  });

  it('gives the branch itself for a rule that matches everyone, and zeros for one that matches no one', () => {
    const everyone = groupPortrait(db, { filter: { all: [] } });
    expect(everyone.size).toBe(everyone.branchSize);
    expect(everyone.description).toBe('全部客户');
    for (const dim of everyone.dimensions) expect(dim.group, dim.key).toEqual(dim.branch);
    expectConsistent(everyone);

    const nobody = groupPortrait(db, { filter: { field: 'age', op: '>', value: 149 } });
    expect(nobody.size).toBe(0);
    expectConsistent(nobody);
    for (const dim of nobody.dimensions) expect(dim.group.every((g) => g.count === 0 && g.share === 0), dim.key).toBe(true);
  });

  it('works before any analysis, from the balances, without channel and lifecycle', () => {
    const p = groupPortrait(bare, { filter: { field: 'age', op: '>=', value: 60 } });
    expect(p.dimensions.map((d) => d.key)).toEqual(['age', 'gender', 'occupation', 'tier', 'aum', 'products', 'community']);
    expectConsistent(p);
    const tier = p.dimensions.find((d) => d.key === 'tier')!;
    expect(tier.branch.find((b) => b.label === '大众')!.count).toBeGreaterThan(0);
    expect(p.summary.map((s) => s.key)).toEqual(['customers', 'avg_age', 'avg_aum', 'avg_products']);
  });

  it('shows every community by name, never lumped into 其他, and marks the rest and unknown buckets', () => {
    const p = groupPortrait(db, { filter: { field: 'age', op: '>=', value: 40 } });
    const community = p.dimensions.find((d) => d.key === 'community')!;
    const named = db.prepare('SELECT count(DISTINCT community_id) FROM customers WHERE community_id IS NOT NULL').pluck().get() as number;
    expect(named).toBeGreaterThan(8);
    expect(community.branch.filter((b) => !b.rest)).toHaveLength(named);
    expect(community.branch.map((b) => b.label)).not.toContain('其他');
    expect(p.headlineMinPoints).toBe(3);
    for (const dim of p.dimensions) {
      for (const item of dim.branch) if (/^(其他|未知|未填写|未评级|无资产数据|无记录|未归属社区)$/.test(item.label)) expect(item.rest, `${dim.key} ${item.label}`).toBe(true);
    }
  });

  it('explains a bad rule in Chinese', () => {
    expect(() => groupPortrait(db, { filter: { field: 'id_number', op: '=', value: '1' } })).toThrow(/出于隐私保护，不允许按“证件号码”筛选/);
  });
});
