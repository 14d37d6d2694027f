/**
 * The exclusions of a campaign, applied in the fixed order of EXCLUSION_STEPS. A customer is counted at
 * the first step that removes them, so the waterfall adds up (受众 − Σ 排除 = 可营销客户) and each step
 * reads as "of those still in, this many were left out because …".
 */
import { EXCLUSION_LABELS, EXCLUSION_STEPS, type ExclusionStep, type WaterfallStep } from '../../../shared/campaigns';

/** Whether a step removes a customer; steps that do not apply to a campaign are left out. */
export type ExclusionChecks<T> = Partial<Record<ExclusionStep, (customer: T) => boolean>>;

export interface ExclusionResult<T> {
  kept: T[];
  steps: WaterfallStep[];
}

export function applyExclusions<T>(audience: readonly T[], checks: ExclusionChecks<T>, labels: { days: number; max: number }, unknownCustomers = 0): ExclusionResult<T> {
  const active = EXCLUSION_STEPS.filter((step) => checks[step] !== undefined);
  const excluded = new Map<ExclusionStep, number>(active.map((s) => [s, 0]));
  const kept: T[] = [];
  for (const customer of audience) {
    const step = active.find((s) => checks[s]!(customer));
    if (step) excluded.set(step, excluded.get(step)! + 1);
    else kept.push(customer);
  }
  let remaining = audience.length + unknownCustomers;
  const steps: WaterfallStep[] = [];
  const push = (key: ExclusionStep, count: number) => {
    remaining -= count;
    steps.push({ key, label: stepLabel(key, labels), excluded: count, remaining });
  };
  if (unknownCustomers > 0) push('unknown_customer', unknownCustomers);
  for (const step of active) push(step, excluded.get(step)!);
  return { kept, steps };
}

export function stepLabel(step: ExclusionStep, labels: { days: number; max: number }): string {
  return EXCLUSION_LABELS[step].replace('{days}', String(labels.days)).replace('{max}', String(labels.max));
}
