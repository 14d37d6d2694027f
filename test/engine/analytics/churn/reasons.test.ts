/**
 * Churn reasons (issue #13 §1): the customer's figures of a topic worded as the risk they are, with an
 * action; good news and demographics are never reasons; small effects are not reasons; the stored
 * explanation adds up to the probability.
 */
import { describe, expect, it } from 'vitest';
import { FEATURE_KEYS, type FeatureKey } from '../../../../shared/analytics';
import { decodeExplanation, encodeExplanation, explanationSteps, fixed5, pickTopics, REASON_COUNT } from '../../../../electron/engine/analytics/churn/explanation';
import { formatMoney, readTopic, TOPIC_OF_FEATURE, TOPICS, type Topic } from '../../../../electron/engine/analytics/churn/reasons';
import { TRAINING_FEATURE_KEYS } from '../../../../electron/engine/analytics/features/latest-value';
import { isSpecificRisk } from './specific';

/** A customer: the given figures, every other feature missing. */
const customer = (figures: Partial<Record<FeatureKey, number>>) => (key: FeatureKey) => figures[key] ?? Number.NaN;
const text = (topic: Topic, figures: Partial<Record<FeatureKey, number>>) => readTopic(topic, customer(figures))?.text ?? null;

describe('reasons worded as the risk they are', () => {
  it('states each risk with the customer’s own figure', () => {
    expect(text('flows', { inflow_3m: 0, outflow_3m: 0 })).toBe('近3个月没有任何资金往来');
    expect(text('flows', { inflow_3m: 3, outflow_3m: 0 })).toBe('近3个月没有任何资金往来');
    expect(text('flows', { inflow_3m: 16_000, outflow_3m: 0 })).toBe('近3个月只有入账（1.6 万元），没有任何支出');
    expect(text('flows', { inflow_3m: 0, outflow_3m: 853_000 })).toBe('近3个月只有资金流出（85.3 万元），没有资金流入');
    expect(text('flows', { inflow_3m: 10_000, outflow_3m: 60_000 })).toBe('近3个月资金净流出 5 万元');
    expect(text('activity', { days_since_last_active_txn: 95, txn_count_90d: 0 })).toBe('95 天没有主动交易');
    expect(text('activity', { days_since_last_active_txn: 12, txn_count_90d: 2 })).toBe('近90天仅 2 笔交易');
    expect(text('activity', { txn_count_365d: 0 })).toBe('开户以来没有过主动交易');
    expect(text('assets', { aum_change_pct_6m: -62 })).toBe('近6个月资产下降 62%');
    expect(text('assets', { aum_change_pct_6m: -3, aum_avg_3m: 60_000, aum_avg_12m: 100_000 })).toBe('近3个月日均资产比近12个月平均低 40%');
    expect(text('products', { product_count: 1, category_count: 1 })).toBe('仅持有 1 个产品，与本行联系单一');
    expect(text('products', { product_count: 3, category_count: 1 })).toBe('持有的 3 个产品同属一类，与本行联系单一');
    expect(text('channels', { mobile_share: 0 })).toBe('不使用手机银行');
    expect(text('service', { complaints_12m: 2 })).toBe('近12个月投诉 2 次');
    expect(text('tenure', { tenure_months: 4 })).toBe('开户仅 4 个月，关系尚浅');
  });

  it('pairs each reason with an action: 投诉 → 回访', () => {
    expect(readTopic('service', customer({ complaints_12m: 1 }))?.action).toContain('回访');
    for (const topic of TOPICS.filter((t) => t !== 'profile')) {
      const reason = readTopic(topic, customer({ inflow_3m: 0, outflow_3m: 0, days_since_last_active_txn: 200, aum_change_pct_6m: -50, product_count: 1, mobile_share: 0, complaints_12m: 1, tenure_months: 3 }));
      expect(reason, topic).not.toBeNull();
      expect(reason!.action, topic).toMatch(/[\u4e00-\u9fa5]{4,}/);
      expect(isSpecificRisk(reason!.text), reason!.text).toBe(true);
    }
  });

  it('never words good news as a reason (the audit’s 无资金流出, 资金流入 1.6 万元, 持有 4 个产品, 0 天前)', () => {
    expect(text('flows', { inflow_3m: 16_000, outflow_3m: 15_000 })).toBeNull();
    expect(text('products', { product_count: 4, category_count: 3 })).toBeNull();
    expect(text('activity', { days_since_last_active_txn: 0, txn_count_90d: 25 })).toBeNull();
    expect(text('assets', { aum_change_pct_6m: 15, aum_avg_3m: 100_000, aum_avg_12m: 90_000, aum_trend_slope_6m: 2_000 })).toBeNull();
    expect(text('channels', { mobile_share: 0.7 })).toBeNull();
    expect(text('service', { complaints_12m: 0 })).toBeNull();
    expect(text('tenure', { tenure_months: 75 })).toBeNull();
  });

  it('keeps demographics in the model but never makes them a reason', () => {
    expect(TRAINING_FEATURE_KEYS).toContain('age');
    expect(TOPIC_OF_FEATURE.age).toBe('profile');
    expect(readTopic('profile', customer({ age: 80 }))).toBeNull();
    // Every feature belongs to a topic.
    for (const key of FEATURE_KEYS) expect(TOPICS).toContain(TOPIC_OF_FEATURE[key]);
  });

  it('writes amounts in 万元', () => {
    expect(formatMoney(8_500)).toBe('0.85 万元');
    expect(formatMoney(12_000)).toBe('1.2 万元');
    expect(formatMoney(10_000)).toBe('1 万元');
    expect(formatMoney(3_560_000)).toBe('356 万元');
    expect(formatMoney(130_000_000)).toBe('13,000 万元');
  });
});

describe('picking reasons from the topic sums', () => {
  const index = (t: Topic) => TOPICS.indexOf(t);
  const sums = (values: Partial<Record<Topic, number>>) => Float64Array.from(TOPICS, (t) => values[t] ?? 0);
  const readAll = (t: number) => (TOPICS[t] === 'profile' || TOPICS[t] === 'products' ? null : { text: `风险${t}`, action: `行动${t}` });

  it('takes at most three topics that raise the risk by the minimum and read as a risk, largest first', () => {
    const picked = pickTopics(sums({ activity: 0.2, flows: 0.05, assets: 0.3, service: 0.1, products: 0.25, profile: 0.4, channels: -0.08, tenure: 0.00001 }), 0.02, true, readAll);
    expect(picked.reasons.map((r) => TOPICS[r.topic])).toEqual(['assets', 'activity', 'service']);
    expect(picked.reasons).toHaveLength(REASON_COUNT);
    // Demographics and a topic whose figures are good news stay factors; 0.00001 is nothing at all.
    expect(picked.factors.map((t) => TOPICS[t])).toEqual(['profile', 'products', 'channels', 'flows']);
  });

  it('gives no reason below the 中 band, and none under the minimum', () => {
    expect(pickTopics(sums({ activity: 0.2 }), 0.02, false, readAll).reasons).toEqual([]);
    expect(pickTopics(sums({ activity: 0.019 }), 0.02, true, readAll)).toEqual({ reasons: [], factors: [] });
    expect(pickTopics(sums({ activity: 0.00001, flows: 0.00001, assets: 0.00001 }), 0.02, true, readAll).reasons).toEqual([]);
  });

  it('stores an explanation that adds up to the probability and reads back', () => {
    const s = sums({ activity: 0.2, assets: -0.05, flows: 0.03, profile: 0.012, channels: 0.001 });
    const picked = pickTopics(s, 0.01, true, readAll);
    const bias = 0.045;
    const probability = bias + s.reduce((a, b) => a + b, 0);
    const stored = decodeExplanation(encodeExplanation(7, bias, probability, s, picked))!;
    expect(stored.modelId).toBe(7);
    expect(stored.reasons.map((r) => r.topic)).toEqual(['activity', 'flows']);
    expect(stored.reasons[0]).toMatchObject({ text: `风险${index('activity')}`, action: `行动${index('activity')}` });
    const steps = explanationSteps(stored);
    expect(steps.factors.map((f) => [f.topic, f.label])).toEqual([['assets', '资产变化'], ['profile', '年龄等客户属性']]);
    const listed = [...steps.reasons, ...steps.factors].reduce((sum, d) => sum + d.contribution, 0);
    expect(stored.bias + listed + stored.other).toBeCloseTo(probability, 4);
    expect(decodeExplanation('{"v":1,"modelId":1,"bias":0.1,"drivers":[],"waterfall":[],"other":0}')).toBeNull();
  });

  it('writes five decimals exactly', () => {
    expect(fixed5(0.123456)).toBe('0.12346');
    expect(fixed5(-0.00432)).toBe('-0.00432');
    expect(fixed5(0)).toBe('0.00000');
    expect(JSON.parse(fixed5(-0.00001))).toBe(-0.00001);
  });
});
