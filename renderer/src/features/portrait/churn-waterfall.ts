/**
 * The churn explanation as a waterfall (unit-tested): the model's baseline (its starting point before any
 * feature of the customer), then each driver's contribution up or down, then the rest, ending at the
 * customer's probability. Values are percentage points, so the bars read "+12.3" next to 45.6%.
 */
import type { ChurnExplanation } from '../../../../shared/analytics';

export interface WaterfallStep {
  key: string;
  label: string;
  /** The driver in plain words with the customer's own value; empty for the base, the rest and the total. */
  text: string;
  kind: 'base' | 'up' | 'down' | 'total';
  /** Where the bar starts and ends, in percentage points. */
  start: number;
  end: number;
  delta: number;
}

const pp = (share: number) => Math.round(share * 1000) / 10;

export interface WaterfallLabels {
  base: string;
  other: string;
  total: string;
}

export function waterfallSteps(e: ChurnExplanation, labels: WaterfallLabels): WaterfallStep[] {
  const steps: WaterfallStep[] = [{ key: 'base', label: labels.base, text: '', kind: 'base', start: 0, end: pp(e.bias), delta: pp(e.bias) }];
  let at = e.bias;
  const push = (key: string, label: string, text: string, contribution: number) => {
    const start = at;
    at += contribution;
    steps.push({ key, label, text, kind: contribution >= 0 ? 'up' : 'down', start: pp(start), end: pp(at), delta: pp(contribution) });
  };
  for (const d of e.drivers) push(d.feature, d.label, d.text, d.contribution);
  if (Math.abs(e.other) >= 0.0005) push('other', labels.other, '', e.other);
  steps.push({ key: 'total', label: labels.total, text: '', kind: 'total', start: 0, end: pp(e.probability), delta: pp(e.probability) });
  return steps;
}

/**
 * The stacked-bar series of a waterfall: an invisible offset up to the lower end of each bar, then the
 * bar itself in the colour of its kind. Categories read top to bottom in step order.
 */
export function waterfallSeries(steps: readonly WaterfallStep[]): { categories: string[]; offset: number[]; base: (number | null)[]; up: (number | null)[]; down: (number | null)[]; total: (number | null)[] } {
  const round = (v: number) => Math.round(v * 10) / 10;
  const pick = (kind: WaterfallStep['kind']) => steps.map((s) => (s.kind === kind ? round(Math.abs(s.end - s.start)) : null));
  return {
    categories: steps.map((s) => s.label),
    offset: steps.map((s) => round(Math.min(s.start, s.end))),
    base: pick('base'),
    up: pick('up'),
    down: pick('down'),
    total: pick('total'),
  };
}

/** Whether the steps add up to the probability the model gave, within rounding: a check on the engine. */
export function waterfallBalances(e: ChurnExplanation): boolean {
  const sum = e.bias + e.drivers.reduce((s, d) => s + d.contribution, 0) + e.other;
  return Math.abs(sum - e.probability) < 0.005;
}
