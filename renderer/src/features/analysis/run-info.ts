/** What an analysis run records about itself, read defensively: runs store their parameters as JSON. */
import type { AnalysisRunInfo } from '../../../../shared/analytics';
import type { Settings } from '../../../../shared/settings';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The settings a run used, whether recorded as `params.settings` or as the params themselves. */
export function runSettings(run: Pick<AnalysisRunInfo, 'params'> | null | undefined): Settings | null {
  if (!run) return null;
  const candidate = isRecord(run.params.settings) ? run.params.settings : run.params;
  return isRecord(candidate) && isRecord(candidate.tiers) && isRecord(candidate.rfm) ? (candidate as unknown as Settings) : null;
}

/** A 'YYYY-MM-DD' as-of date as its month, 'YYYY-MM'. */
export function asOfMonth(asOf: string | null | undefined): string | null {
  return typeof asOf === 'string' && asOf.length >= 7 ? asOf.slice(0, 7) : null;
}

/** An amount in 元 as 万 without needless decimals: 50000 → '5', 6000000 → '600', 12345 → '1.23'. */
export function wanShort(yuan: number): string {
  const wan = yuan / 10_000;
  return Number.isInteger(wan) ? String(wan) : String(Math.round(wan * 100) / 100);
}
