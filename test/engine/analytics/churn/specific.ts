/**
 * What "a specific driver" means in the tests: the customer's own number, or one of these concrete
 * statements about the customer. Never a bare feature name, never "风险较高".
 */
import { FEATURE_LABELS } from '../../../../electron/engine/analytics/churn/feature-labels';

/** Every digit-free sentence drivers.ts can produce, each a fact about the customer. */
export const SPECIFIC_PHRASES: readonly string[] = [
  '缺少出生日期，年龄未知',
  '开户日期缺失',
  '最新月没有余额记录',
  '没有资产，存款占比无从计算',
  '没有存款',
  '没有资产，理财占比无从计算',
  '未持有理财',
  '没有资产，贷款占比无从计算',
  '没有贷款',
  '产品持有记录缺失',
  '名下已无在持产品',
  '未持有任何类别的产品',
  '近一年没有交易记录',
  '近一年无交易',
  '从未有过主动交易',
  '近一年无交易，手机银行使用情况不明',
  '不使用手机银行',
  '近一年无交易，柜面使用情况不明',
  '从不到柜面办理业务',
  '近一年无交易，ATM 使用情况不明',
  '不使用 ATM',
  '从未做过风险测评',
];

export function isSpecific(text: string, feature: string): boolean {
  const label = (FEATURE_LABELS as Record<string, string>)[feature];
  if (text.trim() === '' || text === label || text === feature) return false;
  return /\d/.test(text) || SPECIFIC_PHRASES.includes(text);
}
