/**
 * The churn explanation as a waterfall (unit-tested): the model's baseline (its starting point before any
 * figure of the customer), then each reason (labelled by the risk it states), then the other topics that
 * move the probability meaningfully (labelled by topic, ▲ up or ▼ down, so that colour is not the only
 * sign), then the rest, ending at the customer's probability. Values are percentage points, so the bars
 * read "+12.3" next to 45.6%.
 */
import type { ChurnExplanation } from '../../../../shared/analytics';

export interface WaterfallStep {
  key: string;
  /** The axis label: the reason's risk in words, or the topic's name with ▲/▼. */
  label: string;
  /** The reason in plain words with the customer's own figure; empty for a factor, the base, the rest and the total. */
  text: string;
  /** What to do about a reason; empty otherwise. */
  action: string;
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

const arrow = (contribution: number) => (contribution >= 0 ? '▲' : '▼');

export function waterfallSteps(e: ChurnExplanation, labels: WaterfallLabels): WaterfallStep[] {
  const steps: WaterfallStep[] = [{ key: 'base', label: labels.base, text: '', action: '', kind: 'base', start: 0, end: pp(e.bias), delta: pp(e.bias) }];
  let at = e.bias;
  const push = (key: string, label: string, text: string, action: string, contribution: number) => {
    const start = at;
    at += contribution;
    steps.push({ key, label, text, action, kind: contribution >= 0 ? 'up' : 'down', start: pp(start), end: pp(at), delta: pp(contribution) });
  };
  for (const d of e.reasons) push(d.topic, d.text, d.text, d.action, d.contribution);
  for (const d of e.factors) push(d.topic, `${d.label} ${arrow(d.contribution)}`, '', '', d.contribution);
  if (Math.abs(e.other) >= 0.0005) push('other', `${labels.other} ${arrow(e.other)}`, '', '', e.other);
  steps.push({ key: 'total', label: labels.total, text: '', action: '', kind: 'total', start: 0, end: pp(e.probability), delta: pp(e.probability) });
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
  const sum = e.bias + [...e.reasons, ...e.factors].reduce((s, d) => s + d.contribution, 0) + e.other;
  return Math.abs(sum - e.probability) < 0.005;
}
