/**
 * The analysis thresholds beyond tiers, RFM and lifecycle as the settings screen edits them: amounts in 万元
 * (stored in 元), everything else in its own unit. Pure, so the conversion is unit-tested.
 */
import type { Settings } from '../../../../shared/settings';

/** Tag thresholds that are amounts: shown in 万元. */
export const TAG_AMOUNT_KEYS = ['millionAum', 'largeInflow3m', 'netOutflow3m', 'lowBalance', 'aumDropFloor'] as const;
/** Tag thresholds in percent. */
export const TAG_PERCENT_KEYS = ['aumDropPct', 'depositHeavyPct', 'wealthHeavyPct', 'mobilePreferredPct', 'counterPreferredPct', 'atmFrequentPct'] as const;
/** Tag thresholds that are counts, days, years or ages, with their unit key in `common`. */
export const TAG_PLAIN_KEYS = [
  ['activeTxn90d', 'count'],
  ['lowActivityTxn90d', 'count'],
  ['multiProductCategories', 'kinds'],
  ['recentContactDays', 'days'],
  ['wealthMaturedDays', 'days'],
  ['longTenureYears', 'years'],
  ['seniorAge', 'age'],
  ['youthMaxAge', 'age'],
  ['preRetirementAge', 'age'],
] as const;

export interface AnalysisForm {
  tags: Settings['tags'];
  recencyCapDays: number;
  headlineMinPoints: number;
}

const toWan = (yuan: number) => Math.round((yuan / 10_000) * 10_000) / 10_000;

export function toAnalysisForm(s: Settings): AnalysisForm {
  const tags = { ...s.tags };
  for (const key of TAG_AMOUNT_KEYS) tags[key] = toWan(s.tags[key]);
  return { tags, recencyCapDays: s.segments.recencyCapDays, headlineMinPoints: s.groupPortrait.headlineMinPoints };
}

export function fromAnalysisForm(f: AnalysisForm): Pick<Settings, 'tags' | 'segments' | 'groupPortrait'> {
  const tags = { ...f.tags };
  for (const key of TAG_AMOUNT_KEYS) tags[key] = Math.round(f.tags[key] * 10_000 * 100) / 100;
  return { tags, segments: { recencyCapDays: f.recencyCapDays }, groupPortrait: { headlineMinPoints: f.headlineMinPoints } };
}
