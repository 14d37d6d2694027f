/**
 * Pure logic of the analytics screens, on fixtures shaped exactly like shared/analytics.ts: the rule
 * builder's tree ↔ RuleNode round trip (nesting, not, every value kind) and that what it builds passes the
 * shared compiler; the model card's numbers; the Sankey of a tier migration; the churn waterfall; the RFM
 * heatmap; the group portrait's charts and export rows.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisOverview, ChurnExplanation, GroupPortrait, ModelCard, TierMigration } from '../../shared/analytics';
import type { RuleFieldInfo } from '../../shared/api';
import { describeRule, validateRule } from '../../shared/rule-compiler';
import { catalogField, catalogFields, customerFieldCatalog } from '../../shared/rule-fields';
import type { RuleNode } from '../../shared/rules';
import {
  buildRule,
  catalogFromInfo,
  changeOperator,
  countConditions,
  fromRule,
  groupDepth,
  newCondition,
  newGroup,
  resetForField,
  toRule,
  type EditCondition,
  type EditGroup,
} from '../../renderer/src/components/rule-builder/model';
import { asOfMonth, runSettings, wanShort } from '../../renderer/src/features/analysis/run-info';
import {
  calibrationPoints,
  confusionView,
  formatLift,
  formatRate,
  formatScore,
  formatSeconds,
  formatThreshold,
  liftSeries,
  nearestThresholdIndex,
  rocPoints,
  sortedThresholds,
  topFeatures,
} from '../../renderer/src/features/churn/model-card';
import { biggestGap, dimensionChart, portraitRows, tgi } from '../../renderer/src/features/groups/shaping';
import { fromAnalysisForm, toAnalysisForm } from '../../renderer/src/features/settings/analysis-form';
import { waterfallBalances, waterfallSeries, waterfallSteps } from '../../renderer/src/features/portrait/churn-waterfall';
import { classRows, countRange, heatmapCells } from '../../renderer/src/features/rfm/shaping';
import { columnTotals, defaultMigrationMonths, matrixRows, migrationSummary, monthsBefore, moveKind, sankeyData, tierRows } from '../../renderer/src/features/tiers/shaping';
import { DEFAULT_SETTINGS } from '../../shared/settings';

// ---------------------------------------------------------------------------------------------------------
// Rule builder

/** The catalog of a workspace with an analysis, tags and segments, as `customers.fields` reports it. */
const fullCatalog = customerFieldCatalog({
  featureRunId: 3,
  scoreRunId: 3,
  tagRunId: 3,
  asOf: '2024-06-30',
  tags: [
    { id: 'payroll', name: '代发工资客户' },
    { id: 'dormant_hnw', name: '沉睡高净值' },
  ],
  segments: [
    { id: 7, name: '年轻白领' },
    { id: 12, name: '退休储蓄' },
  ],
});
const infos: RuleFieldInfo[] = catalogFields(fullCatalog).map(({ sql: _s, sqlParams: _p, runId: _r, ...info }) => info);
const catalog = catalogFromInfo(infos, fullCatalog.unavailable);
const lookup = (key: string) => catalogField(catalog, key);

/** A rule of every kind the builder writes: nested groups, not on a group and a condition, every operator. */
const NESTED: RuleNode = {
  all: [
    { field: 'age', op: '>=', value: 60 },
    { field: 'value_tier', op: 'in', value: ['wealth', 'private'] },
    {
      any: [
        { field: 'aum_avg_3m', op: 'between', value: [100000, 5000000] },
        { not: { field: 'tag', op: 'has_tag', value: 'payroll' } },
        { all: [{ field: 'mobile_share', op: '<', value: 0.2 }, { field: 'gender', op: '=', value: 'F' }] },
      ],
    },
    { not: { any: [{ field: 'community_name', op: 'contains', value: '阳光' }, { field: 'manager_name', op: 'is_null', value: true }] } },
    { field: 'open_date', op: 'between', value: ['2015-01-01', '2020-12-31'] },
    { field: 'consent_marketing', op: '=', value: true },
    { field: 'segment', op: 'not_in', value: [7, 12] },
    { field: 'customer_id', op: 'in', value: ['C00000001', 'C00000002'] },
    { field: 'risk_assessed_at', op: 'is_null', value: false },
  ],
};

describe('rule builder model', () => {
  it('round-trips a nested rule with not on groups and conditions exactly', () => {
    const tree = fromRule(NESTED, lookup);
    expect(toRule(tree, lookup)).toEqual(NESTED);
    expect(countConditions(tree)).toBe(13);
    expect(groupDepth(tree)).toBe(3);
    // And the tree of the rebuilt rule is the same tree again.
    expect(toRule(fromRule(toRule(tree, lookup), lookup), lookup)).toEqual(NESTED);
  });

  it('builds rules the shared compiler accepts, and describes them in Chinese', () => {
    const tree = fromRule(NESTED, lookup);
    const rule = toRule(tree, lookup, { prune: true });
    expect(validateRule(rule, catalog)).toEqual([]);
    // The renderer's catalog (no SQL) validates exactly as the engine's would.
    expect(validateRule(rule, fullCatalog)).toEqual([]);
    const text = describeRule(rule, catalog);
    expect(text).toContain('年龄 ≥ 60');
    expect(text).toContain('价值层级 属于 财富、私行');
    expect(text).toContain('没有标签 代发工资客户');
    expect(text).toContain('手机银行交易占比 < 20%');
  });

  it('keeps the tree a builder edits: root group, negated conditions and groups', () => {
    const tree = fromRule(NESTED, lookup);
    const any = tree.children[2] as EditGroup;
    expect(any.kind).toBe('group');
    expect(any.mode).toBe('any');
    expect((any.children[1] as EditCondition).negate).toBe(true);
    expect((any.children[1] as EditCondition).field).toBe('tag');
    expect((tree.children[3] as EditGroup).negate).toBe(true);
    // A bare condition is wrapped in 全部满足; not(not(x)) keeps both negations, the outer one on the root.
    expect(toRule(fromRule({ field: 'age', op: '>', value: 30 }, lookup), lookup)).toEqual({ all: [{ field: 'age', op: '>', value: 30 }] });
    const double = toRule(fromRule({ not: { not: { field: 'age', op: '>', value: 30 } } }, lookup), lookup);
    expect(double).toEqual({ not: { all: [{ not: { field: 'age', op: '>', value: 30 } }] } });
  });

  it('edits shares in percent and amounts as typed, turning text into typed values', () => {
    const tree = fromRule({ all: [{ field: 'mobile_share', op: '>=', value: 0.35 }] }, lookup);
    const c = tree.children[0] as EditCondition;
    expect(c.value).toBe('35');
    c.value = '29';
    expect(toRule(tree, lookup)).toEqual({ all: [{ field: 'mobile_share', op: '>=', value: 0.29 }] });
    c.field = 'aum_avg_3m';
    c.value = '1,000,000';
    expect(toRule(tree, lookup)).toEqual({ all: [{ field: 'aum_avg_3m', op: '>=', value: 1_000_000 }] });
    c.value = '50万';
    const rule = toRule(tree, lookup);
    expect(rule).toEqual({ all: [{ field: 'aum_avg_3m', op: '>=', value: '50万' }] });
    expect(validateRule(rule, catalog)).toEqual([]);
    expect(describeRule(rule, catalog)).toBe('近3个月日均资产 ≥ 500,000');
  });

  it('leaves out what is not filled in yet, and names each kept row as the compiler does', () => {
    const root = newGroup('all', [newCondition(), newGroup('any', [newCondition()])]);
    expect(toRule(root, lookup, { prune: true })).toEqual({ all: [] });
    const age = newCondition();
    resetForField(age, 'age', lookup);
    expect(age.op).toBe('=');
    age.op = '>';
    age.value = '60';
    const inner = newGroup('any', [newCondition(), age]);
    const tier = newCondition('value_tier', 'in');
    tier.values = ['mass'];
    const tree = newGroup('all', [newCondition(), tier, inner]);
    const { rule, paths } = buildRule(tree, lookup, { prune: true });
    expect(rule).toEqual({ all: [{ field: 'value_tier', op: 'in', value: ['mass'] }, { any: [{ field: 'age', op: '>', value: 60 }] }] });
    expect(paths.get(tier.id)).toBe('1');
    expect(paths.get(inner.id)).toBe('2');
    expect(paths.get(age.id)).toBe('2.1');
    expect(paths.get(tree.id)).toBe('');
    expect(paths.has((tree.children[0] as EditCondition).id)).toBe(false);
  });

  it('points each problem at its row', () => {
    const bad = newCondition('age', '>');
    bad.value = 'abc';
    const tree = newGroup('all', [newCondition('gender', '='), newGroup('any', [bad])]);
    (tree.children[0] as EditCondition).value = 'F';
    const { rule, paths } = buildRule(tree, lookup, { prune: true });
    const issues = validateRule(rule, catalog);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path.join('.')).toBe(paths.get(bad.id));
    expect(issues[0]!.message).toMatch(/^条件 2\.1：/);
  });

  it('keeps values across operator changes where they still fit', () => {
    const c = newCondition('risk_level', '=');
    c.value = 'C3';
    changeOperator(c, 'in');
    expect(c.values).toEqual(['C3']);
    changeOperator(c, '!=');
    expect(c.value).toBe('C3');
    changeOperator(c, 'is_null');
    expect(c.value).toBe('true');
    changeOperator(c, '=');
    expect(c.value).toBe('');
  });

  it('offers unavailable fields with their reason, and never PII', () => {
    const before = customerFieldCatalog({ featureRunId: null, scoreRunId: null, tagRunId: null, asOf: '2024-06-30' });
    expect(before.unavailable.value_tier).toMatch(/客户分析/);
    expect(before.unavailable.mobile).toMatch(/隐私/);
    const c = catalogFromInfo([], before.unavailable);
    expect(validateRule({ field: 'value_tier', op: '=', value: 'mass' }, c)[0]!.code).toBe('field_unavailable');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Model card

const CARD: ModelCard = {
  modelId: 4,
  createdAt: '2024-07-02T08:00:00.000Z',
  horizonMonths: 3,
  featuresAsOf: '2024-03-31',
  labelTo: '2024-06-30',
  samples: { train: 1600, test: 400, positives: 260, churnRate: 0.1625 },
  params: { trees: 50, maxDepth: 12, minSamplesLeaf: 5, seed: 1, classWeight: 'balanced' },
  metrics: { rocAuc: 0.81234, prAuc: 0.5378, liftTopDecile: 3.04, brier: 0.10349 },
  laterPeriod: { rocAuc: 0.79, prAuc: 0.5 },
  roc: [
    { fpr: 0.5, tpr: 0.9 },
    { fpr: 0.1, tpr: 0.55 },
    { fpr: 0.2, tpr: 0.7 },
  ],
  lift: [
    { decile: 2, lift: 2.1, captureRate: 0.51, churnRate: 0.34 },
    { decile: 1, lift: 3.04, captureRate: 0.304, churnRate: 0.49 },
  ],
  calibration: [
    { predicted: 0.55, observed: 0.5, count: 40 },
    { predicted: 0.05, observed: 0.04, count: 200 },
    { predicted: 0.9, observed: 1, count: 0 },
  ],
  thresholds: [
    { threshold: 0.5, tp: 30, fp: 20, tn: 315, fn: 35, precision: 0.6, recall: 0.4615, f1: 0.5217 },
    { threshold: 0.3, tp: 45, fp: 60, tn: 275, fn: 20, precision: 0.4286, recall: 0.6923, f1: 0.5294 },
    { threshold: 0.1, tp: 60, fp: 150, tn: 185, fn: 5, precision: 0.2857, recall: 0.9231, f1: 0.4364 },
  ],
  defaultThreshold: 0.32,
  featureImportance: [
    { feature: 'txn_count_90d', label: '近90天交易笔数', importance: 0.1 },
    { feature: 'aum_change_pct_6m', label: '近6个月资产变动率', importance: 0.3 },
    { feature: 'age', label: '年龄', importance: 0.1 },
  ],
  trainSeconds: 42.34,
};

describe('model card', () => {
  it('formats the figures an analyst quotes', () => {
    expect(formatScore(CARD.metrics.rocAuc)).toBe('0.812');
    expect(formatLift(CARD.metrics.liftTopDecile)).toBe('3.0');
    expect(formatRate(CARD.samples.churnRate)).toBe('16.3%');
    // Thresholds are percentages everywhere: the card's cut-off reads 13%, not 0.13.
    expect(formatThreshold(0.3)).toBe('30%');
    expect(formatThreshold(0.13)).toBe('13%');
    expect(formatRate(0.9994)).toBe('99.9%');
    expect(formatSeconds(42.34)).toBe('42.3');
    expect(formatSeconds(512.6)).toBe('513');
    expect(formatScore(null)).toBe('—');
    expect(formatRate(Number.NaN)).toBe('—');
  });

  it('puts the slider on the threshold nearest the default and reads the confusion counts there', () => {
    const rows = sortedThresholds(CARD);
    expect(rows.map((r) => r.threshold)).toEqual([0.1, 0.3, 0.5]);
    const i = nearestThresholdIndex(rows, CARD.defaultThreshold);
    expect(i).toBe(1);
    const view = confusionView(rows[i]!);
    expect(view).toMatchObject({ tp: 45, fp: 60, total: 400, flagged: 105 });
    expect(view.flaggedShare).toBeCloseTo(0.2625);
    expect(view.accuracy).toBeCloseTo(0.8);
  });

  it('shapes ROC, lift, calibration and importance', () => {
    expect(rocPoints(CARD)).toEqual([[0, 0], [0.1, 0.55], [0.2, 0.7], [0.5, 0.9], [1, 1]]);
    expect(liftSeries(CARD)).toEqual({ deciles: [1, 2], lift: [3.04, 2.1], capture: [30.4, 51], churnRate: [49, 34] });
    expect(calibrationPoints(CARD)).toEqual([[0.05, 0.04, 200], [0.55, 0.5, 40]]);
    const top = topFeatures(CARD, 2);
    expect(top.map((f) => f.feature)).toEqual(['aum_change_pct_6m', 'txn_count_90d']);
    expect(top[0]!.share).toBeCloseTo(0.6);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Tiers and migration

const MIGRATION: TierMigration = {
  fromMonth: '2024-01',
  toMonth: '2024-06',
  tiers: ['mass', 'affluent', 'wealth', 'private', 'no_record'],
  matrix: [
    [1200, 80, 0, 0, 5],
    [60, 400, 20, 0, 2],
    [0, 15, 150, 2, 0],
    [0, 0, 1, 9, 0],
    [30, 4, 0, 0, 3],
  ],
  fallen: [{ customer_id: 'C1', name: '张*三', manager_name: '李经理', from_tier: 'wealth', to_tier: 'affluent', aum_from: 800000, aum_to: 300000 }],
  fallenTotal: 78,
  fallenAumLoss: 12_000_000,
};

describe('tier migration', () => {
  it('draws only the moves of existing customers by default, highest tier on top and 无记录 at the bottom', () => {
    const { nodes, links } = sankeyData(MIGRATION);
    expect(nodes.map((n) => n.name)).toEqual(['from:private', 'from:wealth', 'from:affluent', 'from:mass', 'to:private', 'to:wealth', 'to:affluent', 'to:mass', 'to:no_record']);
    expect(links.some((l) => l.kind === 'same' || l.kind === 'absent' || l.kind === 'entered')).toBe(false);
    expect(nodes.find((n) => n.name === 'from:mass')!.value).toBe(85);
    expect(links.find((l) => l.source === 'from:wealth' && l.target === 'to:affluent')!.kind).toBe('down');
    expect(links.find((l) => l.source === 'from:mass' && l.target === 'to:affluent')!.kind).toBe('up');
    expect(links.find((l) => l.source === 'from:affluent' && l.target === 'to:no_record')!.kind).toBe('left');
    // Newcomers on request, from the 新增/无记录 node at the bottom.
    const entered = sankeyData(MIGRATION, { withEntered: true });
    expect(entered.nodes.filter((n) => n.side === 'from').at(-1)!.name).toBe('from:no_record');
    expect(entered.links.find((l) => l.source === 'from:no_record' && l.target === 'to:mass')!.kind).toBe('entered');
    // Every customer drawn flows from a left node to a right node: the sides balance.
    const sum = (side: string) => nodes.filter((n) => n.side === side).reduce((s, n) => s + n.value, 0);
    expect(sum('from')).toBe(sum('to'));
  });

  it('adds the unchanged customers on request, never those absent in both months', () => {
    const { nodes, links } = sankeyData(MIGRATION, { withUnchanged: true });
    expect(links.find((l) => l.source === 'from:private' && l.target === 'to:private')!.kind).toBe('same');
    expect(links.some((l) => l.source === 'from:no_record' && l.target === 'to:no_record')).toBe(false);
    expect(nodes.find((n) => n.name === 'to:wealth')!.value).toBe(171);
  });

  it('counts each kind of move, tabulates the matrix and gives the end month’s tiers', () => {
    expect(migrationSummary(MIGRATION)).toEqual({ total: 1981, same: 1759, up: 102, down: 76, entered: 34, left: 7, absent: 3 });
    expect(matrixRows(MIGRATION)[1]).toEqual({ from: 'affluent', to_mass: 60, to_affluent: 400, to_wealth: 20, to_private: 0, to_no_record: 2, total: 482 });
    expect(columnTotals(MIGRATION)).toEqual({ mass: 1290, affluent: 499, wealth: 171, private: 11, no_record: 10 });
    expect(moveKind('no_record', 'no_record')).toBe('absent');
  });

  it('leaves a tier without moves out of the Sankey', () => {
    const { nodes } = sankeyData({ ...MIGRATION, matrix: [[10, 2, 0, 0, 0], [0, 5, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]] });
    expect(nodes.map((n) => n.name)).toEqual(['from:mass', 'to:affluent']);
  });

  it('picks the latest month and the one six months before', () => {
    const months = ['2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'];
    expect(defaultMigrationMonths(months)).toEqual({ from: '2023-12', to: '2024-06' });
    // The month of the latest analysis is the end month, so that its counts are the tiers tab's.
    expect(defaultMigrationMonths(months, '2024-04')).toEqual({ from: '2023-10', to: '2024-04' });
    expect(defaultMigrationMonths(months, '2023-07')).toEqual({ from: '2023-12', to: '2024-06' });
    expect(defaultMigrationMonths(['2024-05', '2024-06'])).toEqual({ from: '2024-05', to: '2024-06' });
    expect(defaultMigrationMonths(['2024-06'])).toBeNull();
    expect(monthsBefore('2024-02', 3)).toBe('2023-11');
  });

  it('orders tiers from private down with shares and AUM per customer', () => {
    const rows = tierRows([
      { tier: 'mass', customers: 1500, aum: 15_000_000, aumShare: 0.1 },
      { tier: 'private', customers: 10, aum: 90_000_000, aumShare: 0.6 },
      { tier: 'affluent', customers: 490, aum: 45_000_000, aumShare: 0.3 },
    ]);
    expect(rows.map((r) => r.tier)).toEqual(['private', 'affluent', 'mass']);
    expect(rows[0]).toMatchObject({ share: 0.005, avgAum: 9_000_000 });
    const withNone = tierRows([
      { tier: 'no_record', customers: 20, aum: 0, aumShare: 0 },
      { tier: 'mass', customers: 80, aum: 1_000_000, aumShare: 1 },
    ]);
    expect(withNone.map((r) => [r.tier, r.share])).toEqual([['mass', 0.8], ['no_record', 0.2]]);
    expect(tierRows([{ tier: 'no_record', customers: 0, aum: 0, aumShare: 0 }])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// RFM

describe('RFM', () => {
  const heatmap: AnalysisOverview['rfm']['heatmap'] = [
    { r: 5, f: 5, customers: 120, meanM: 4.456 },
    { r: 1, f: 1, customers: 300, meanM: 1.9 },
    { r: 3, f: 2, customers: 0, meanM: 0 },
  ];

  it('puts R on x and F on y as 0-based cells, coloured by the customers they show', () => {
    expect(heatmapCells(heatmap)).toEqual([[4, 4, 4.46, 120], [0, 0, 1.9, 300]]);
    // The colour scale runs over the counts, so the biggest cell is the darkest.
    expect(countRange(heatmap)).toEqual([0, 300]);
    expect(countRange([])).toEqual([0, 1]);
  });

  it('lists the eight classes in the scheme order with the share of customers', () => {
    const rows = classRows([
      { rfmClass: 'general_winback', customers: 300, aum: 1_000_000, aumShare: 0.05, action: '短信唤醒' },
      { rfmClass: 'important_winback', customers: 100, aum: 9_000_000, aumShare: 0.45, action: '客户经理一对一回访 + 专属权益' },
    ]);
    expect(rows.map((r) => r.rfmClass)).toEqual(['important_winback', 'general_winback']);
    expect(rows[0]).toMatchObject({ share: 0.25, action: '客户经理一对一回访 + 专属权益' });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Churn waterfall

const EXPLANATION: ChurnExplanation = {
  modelId: 4,
  probability: 0.62,
  band: 'high',
  bias: 0.16,
  reasons: [
    { topic: 'assets', label: '资产变化', contribution: 0.31, text: '近6个月资产下降 62%', action: '客户经理约见' },
    { topic: 'activity', label: '交易活跃度', contribution: 0.2, text: '95 天没有主动交易', action: '电话回访' },
  ],
  factors: [{ topic: 'products', label: '产品持有', contribution: -0.08, text: '', action: '' }],
  other: 0.03,
};

describe('churn waterfall', () => {
  it('steps from the base rate through each reason and factor to the probability, in percentage points', () => {
    const steps = waterfallSteps(EXPLANATION, { base: '全行基准', other: '其他因素', total: '该客户' });
    expect(steps.map((s) => [s.kind, s.start, s.end, s.delta])).toEqual([
      ['base', 0, 16, 16],
      ['up', 16, 47, 31],
      ['up', 47, 67, 20],
      ['down', 67, 59, -8],
      ['up', 59, 62, 3],
      ['total', 0, 62, 62],
    ]);
    expect(steps[1]!.text).toBe('近6个月资产下降 62%');
    expect(waterfallBalances(EXPLANATION)).toBe(true);
    expect(waterfallBalances({ ...EXPLANATION, probability: 0.7 })).toBe(false);
  });

  it('labels a reason by its risk and a factor by its topic with ▲/▼, and stacks an invisible offset under each bar', () => {
    const s = waterfallSeries(waterfallSteps(EXPLANATION, { base: 'b', other: 'o', total: 't' }));
    expect(s.categories).toEqual(['b', '近6个月资产下降 62%', '95 天没有主动交易', '产品持有 ▼', 'o ▲', 't']);
    expect(s.offset).toEqual([0, 16, 47, 59, 59, 0]);
    expect(s.up).toEqual([null, 31, 20, null, 3, null]);
    expect(s.down).toEqual([null, null, null, 8, null, null]);
    expect(s.base).toEqual([16, null, null, null, null, null]);
    expect(s.total).toEqual([null, null, null, null, null, 62]);
  });

  it('leaves out a negligible rest', () => {
    const steps = waterfallSteps({ ...EXPLANATION, other: 0.0001 }, { base: 'b', other: 'o', total: 't' });
    expect(steps.map((s) => s.key)).not.toContain('other');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Group portrait and run info

describe('group portrait', () => {
  const PORTRAIT: GroupPortrait = {
    size: 200,
    branchSize: 2000,
    description: '沉睡高净值',
    dimensions: [
      {
        key: 'gender',
        label: '性别',
        group: [
          { label: '女', count: 130, share: 0.65 },
          { label: '男', count: 70, share: 0.35 },
        ],
        branch: [
          { label: '男', count: 980, share: 0.49 },
          { label: '女', count: 1000, share: 0.5 },
          { label: '未知', count: 20, share: 0.01, rest: true },
        ],
      },
    ],
    summary: [{ key: 'avg_age', label: '平均年龄', group: 58.2, branch: 45.1, unit: '岁' }],
  };

  it('aligns the group and the branch on one axis of values, in percent', () => {
    expect(dimensionChart(PORTRAIT.dimensions[0]!)).toEqual({
      labels: ['女', '男', '未知'],
      group: [65, 35, 0],
      branch: [50, 49, 1],
      groupCounts: [130, 70, 0],
      branchCounts: [1000, 980, 20],
      tgi: [130, 71, 0],
      rest: [false, false, true],
    });
    expect(biggestGap(PORTRAIT.dimensions[0]!)).toEqual({ label: '女', gap: 15, tgi: 130 });
  });

  it('headlines only a real difference, never a rest bucket', () => {
    const dim = (group: number[], branch: number[]) => ({
      key: 'k',
      label: 'k',
      group: ['甲', '乙', '其他'].map((label, i) => ({ label, count: 0, share: group[i]!, ...(label === '其他' ? { rest: true } : {}) })),
      branch: ['甲', '乙', '其他'].map((label, i) => ({ label, count: 0, share: branch[i]!, ...(label === '其他' ? { rest: true } : {}) })),
    });
    // 其他 moves by 20 points but is no finding; 乙 moves by 5.
    expect(biggestGap(dim([0.32, 0.5, 0.18], [0.35, 0.45, 0.38]))).toMatchObject({ label: '乙', gap: 5 });
    // Under 3 points: nothing to say (男 +0.1 个百分点 is noise).
    expect(biggestGap(dim([0.5, 0.49, 0.01], [0.49, 0.5, 0.01]))).toBeNull();
    expect(biggestGap(dim([0.5, 0.49, 0.01], [0.49, 0.5, 0.01]), 0.5)).toMatchObject({ label: '甲' });
    expect(tgi(0.3, 0)).toBeNull();
  });

  it('flattens every dimension into one export table', () => {
    const rows = portraitRows(PORTRAIT);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({ dimension: '性别', label: '女', groupCount: 130, groupShare: 65, branchCount: 1000, branchShare: 50, gap: 15, tgi: 130 });
  });
});

describe('analysis run info', () => {
  it('reads the settings a run recorded and shows amounts in 万', () => {
    expect(runSettings({ params: { asOf: '2024-06-30', settings: DEFAULT_SETTINGS } })).toEqual(DEFAULT_SETTINGS);
    expect(runSettings({ params: { asOf: '2024-06-30' } })).toBeNull();
    expect(asOfMonth('2024-06-30')).toBe('2024-06');
    expect(wanShort(50_000)).toBe('5');
    expect(wanShort(6_000_000)).toBe('600');
    expect(wanShort(12_345)).toBe('1.23');
  });
});

describe('analysis thresholds on the settings screen', () => {
  it('shows tag amounts in 万元 and saves them back in 元', () => {
    const form = toAnalysisForm(DEFAULT_SETTINGS);
    expect(form.tags).toMatchObject({ millionAum: 100, largeInflow3m: 10, netOutflow3m: 5, lowBalance: 0.1, activeTxn90d: 15 });
    expect(form).toMatchObject({ recencyCapDays: 365, headlineMinPoints: 3 });
    expect(fromAnalysisForm(form)).toEqual({ tags: DEFAULT_SETTINGS.tags, segments: DEFAULT_SETTINGS.segments, groupPortrait: DEFAULT_SETTINGS.groupPortrait });
    expect(fromAnalysisForm({ ...form, tags: { ...form.tags, netOutflow3m: 2.5 } }).tags.netOutflow3m).toBe(25_000);
  });
});
