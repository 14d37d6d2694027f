/**
 * Churn drivers in plain Chinese: every feature has a sentence that states the customer's own value (never a
 * bare feature name), and the stored explanation adds up to the probability.
 */
import { describe, expect, it } from 'vitest';
import { FEATURE_KEYS } from '../../../../shared/analytics';
import { driverText, formatMoney } from '../../../../electron/engine/analytics/churn/drivers';
import { decodeDrivers, DRIVER_COUNT, encodeDrivers, fixed5, pickFeatures, WATERFALL_SIZE } from '../../../../electron/engine/analytics/churn/explanation';
import { isSpecific } from './specific';

describe('driver sentences', () => {
  it('reads the customer’s own value, as a manager would say it', () => {
    expect(driverText('aum_change_pct_6m', -62)).toBe('近6个月资产下降 62%');
    expect(driverText('aum_change_pct_6m', 15.4)).toBe('近6个月资产增长 15%');
    expect(driverText('days_since_last_active_txn', 95)).toBe('95 天无主动交易');
    expect(driverText('complaints_12m', 2)).toBe('近12个月投诉 2 次');
    expect(driverText('txn_count_90d', 1)).toBe('近90天仅 1 笔交易');
    expect(driverText('txn_count_90d', 0)).toBe('近90天无交易');
    expect(driverText('mobile_share', 0)).toBe('不使用手机银行');
    expect(driverText('mobile_share', 0.12)).toBe('手机银行交易仅占 12%');
    expect(driverText('product_count', 1)).toBe('仅持有 1 个产品');
    expect(driverText('tenure_months', 4)).toBe('开户仅 4 个月');
    expect(driverText('tenure_months', 75)).toBe('开户已 6 年');
    expect(driverText('months_since_risk_assessment', 20)).toBe('风险测评已过期（距上次测评 20 个月）');
    expect(driverText('months_since_risk_assessment', 20, { riskAssessmentValidMonths: 24 })).toBe('距上次风险测评 20 个月');
    expect(driverText('months_since_risk_assessment', Number.NaN)).toBe('从未做过风险测评');
    expect(driverText('aum_avg_3m', 12_000)).toBe('近3个月日均资产 1.2 万元');
    expect(driverText('aum_trend_slope_6m', -2_300)).toBe('近6个月资产平均每月减少 2,300 元');
    expect(driverText('outflow_3m', 853_000)).toBe('近3个月资金流出 85.3 万元');
  });

  it('formats money in 元, 万元 and 亿元', () => {
    expect(formatMoney(8_500)).toBe('8,500 元');
    expect(formatMoney(12_000)).toBe('1.2 万元');
    expect(formatMoney(10_000)).toBe('1 万元');
    expect(formatMoney(3_560_000)).toBe('356 万元');
    expect(formatMoney(130_000_000)).toBe('1.3 亿元');
  });

  it('has a specific sentence for every feature at every kind of value, missing included', () => {
    const values = [Number.NaN, -1_000_000, -62, -0.2, 0, 0.05, 0.5, 1, 2, 4, 13, 95, 400, 12_345, 2_000_000];
    for (const feature of FEATURE_KEYS) {
      for (const value of values) {
        const text = driverText(feature, value);
        expect(isSpecific(text, feature), `${feature}=${value}: “${text}”`).toBe(true);
        // The stored JSON is written by hand (explanation.ts); the templates hold nothing to escape.
        expect(text).not.toMatch(/["\\]/);
      }
    }
  });
});

describe('the stored explanation', () => {
  const keys = FEATURE_KEYS.slice(0, 12);
  const values = Float64Array.from([0.1, -0.2, 0.05, 0, 0.3, -0.01, 0.02, 0.001, -0.07, 0, 0.04, -0.003]);
  const bias = 0.4;
  const probability = bias + values.reduce((s, v) => s + v, 0);

  it('picks the 3 largest positive contributions as drivers, then the largest by size', () => {
    const picked = new Int32Array(keys.length);
    const pick = pickFeatures(values, 0, keys.length, picked, new Uint8Array(keys.length));
    expect(pick.drivers).toBe(DRIVER_COUNT);
    expect(Array.from(picked.subarray(0, pick.count))).toEqual([4, 0, 2, 1, 8, 10, 6, 5]);
    expect(pick.count).toBe(WATERFALL_SIZE);
  });

  it('balances: bias + listed + other = the probability, and decodes', () => {
    const picked = new Int32Array(keys.length);
    const pick = pickFeatures(values, 0, keys.length, picked, new Uint8Array(keys.length));
    const texts = Array.from(picked.subarray(0, pick.drivers), (f) => `文本${f}`);
    const stored = decodeDrivers(encodeDrivers(7, bias, probability, keys, values, 0, picked, pick, texts));
    expect(stored).not.toBeNull();
    expect(stored!.modelId).toBe(7);
    expect(stored!.drivers.map((d) => d.feature)).toEqual([keys[4], keys[0], keys[2]]);
    expect(stored!.drivers[0]!.text).toBe('文本4');
    const listed = stored!.drivers.reduce((s, d) => s + d.contribution, 0) + stored!.waterfall.reduce((s, [, c]) => s + c, 0);
    expect(stored!.bias + listed + stored!.other).toBeCloseTo(probability, 4);
  });

  it('lists fewer drivers when few contributions push the risk up', () => {
    // 0.000004 would be stored as 0.00000: no effect, so no reason and no bar.
    const down = Float64Array.from([-0.1, 0.02, -0.3, 0, 0.000004]);
    const picked = new Int32Array(5);
    const pick = pickFeatures(down, 0, 5, picked, new Uint8Array(5));
    expect(pick.drivers).toBe(1);
    expect(Array.from(picked.subarray(0, pick.count))).toEqual([1, 2, 0]);
  });

  it('writes five decimals exactly', () => {
    expect(fixed5(0.123456)).toBe('0.12346');
    expect(fixed5(-0.00432)).toBe('-0.00432');
    expect(fixed5(0)).toBe('0.00000');
    expect(fixed5(1)).toBe('1.00000');
    expect(JSON.parse(fixed5(-0.00001))).toBe(-0.00001);
  });
});
