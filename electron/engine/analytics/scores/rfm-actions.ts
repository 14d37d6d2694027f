/**
 * The 8 RFM classes (DESIGN.md §4) with the seed strategy a branch would start from for each. Codes are
 * those of shared/analytics.ts RFM_CLASSES and labels those of shared/rule-fields.ts RFM_CLASS_LABELS; this
 * is the one place that says which R/F/M pattern makes which class and what to do about it.
 */
import type { RfmClass } from '../../../../shared/analytics';

export interface RfmClassDef {
  code: RfmClass;
  /** Whether the class needs each score above its mean (true) or at or below it (false). */
  r: boolean;
  f: boolean;
  m: boolean;
  /** What the branch does with this group, as a manager would note it. */
  action: string;
}

export const RFM_CLASS_DEFS: readonly RfmClassDef[] = [
  { code: 'important_value', r: true, f: true, m: true, action: '客户经理重点维护，提供专属权益与资产配置方案，邀约高端沙龙' },
  { code: 'important_develop', r: true, f: false, m: true, action: '资产高但往来少：推荐代发、信用卡、生活缴费等结算产品，提升用卡和交易频次' },
  { code: 'important_retain', r: false, f: true, m: true, action: '往来多但近期不活跃：电话关怀，了解近况，邀约到网点面谈，防止资金流出' },
  { code: 'important_winback', r: false, f: false, m: true, action: '客户经理一对一回访，了解流失原因，提供专属权益与利率优惠挽回资产' },
  { code: 'general_value', r: true, f: true, m: false, action: '交易活跃、资产偏少：推荐定投、零钱理财和存款产品，引导资金沉淀' },
  { code: 'general_develop', r: true, f: false, m: false, action: '手机银行活动 + 基金定投，签约快捷支付、生活缴费，逐步培养使用习惯' },
  { code: 'general_retain', r: false, f: true, m: false, action: '短信和手机银行推送优惠活动，唤醒交易；结合社区活动邀约到店' },
  { code: 'general_winback', r: false, f: false, m: false, action: '低成本批量触达（短信、公众号），不主动占用客户经理时间；长期无往来的按规定做睡眠户管理' },
];

const BY_PATTERN = new Map(RFM_CLASS_DEFS.map((d) => [(d.r ? 4 : 0) + (d.f ? 2 : 0) + (d.m ? 1 : 0), d]));

export function rfmClassOf(rHigh: boolean, fHigh: boolean, mHigh: boolean): RfmClassDef {
  return BY_PATTERN.get((rHigh ? 4 : 0) + (fHigh ? 2 : 0) + (mHigh ? 1 : 0)) as RfmClassDef;
}

export function rfmAction(code: string): string {
  return RFM_CLASS_DEFS.find((d) => d.code === code)?.action ?? '';
}
