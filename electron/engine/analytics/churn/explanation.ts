/**
 * What scoring stores per customer in customer_scores.churn_drivers_json, and how it is read back.
 *
 * Stored form (version 2):
 *   {"v":2,"modelId":3,"bias":0.04967,
 *    "reasons":[{"topic":"activity","contribution":0.12345,"text":"95 天没有主动交易","action":"电话回访，…"}, …],
 *    "factors":[["assets",-0.0432], …],
 *    "other":0.01234}
 *
 * - reasons: up to REASON_COUNT topics (reasons.ts) that raise the probability by at least the settings'
 *   minimum and whose figures read as a risk, largest first; none below the 流失风险 中 band;
 * - factors: the other topics that move the probability by at least that minimum, up or down, largest
 *   first, topic and contribution only (the portrait's waterfall labels them by topic);
 * - other: the sum of every contribution not listed, so bias + reasons + factors + other = the probability.
 *
 * Version 1 (per-feature "drivers" of the earlier wording) is no longer read: such a scoring also scored
 * customers already lost, and the screens ask for a new scoring (scoring-overview.ts `stale`).
 *
 * The value stays well under 1 KB: customer_scores is a WITHOUT ROWID table, and rows past about 1 KB spill
 * into overflow pages, which made writing 200,000 of them 5× slower in measurement.
 */
import type { ChurnDriver } from '../../../../shared/analytics';
import type { ChurnReason } from '../../../../shared/churn';
import { TOPIC_LABELS, TOPICS, type Topic } from './reasons';

export const REASON_COUNT = 3;

export interface StoredExplanation {
  v: 2;
  modelId: number;
  bias: number;
  reasons: ({ topic: Topic; contribution: number } & ChurnReason)[];
  factors: [Topic, number][];
  other: number;
}

/** Contributions are probabilities; five decimals keep every sum within 1e-4 of the stored probability. */
export const round5 = (value: number) => Math.round(value * 1e5) / 1e5;

/**
 * A number with five decimals as JSON text, from its integer hundred-thousandths: converting a double to
 * its shortest text is the costliest step of writing 200,000 explanations, integers are cheap.
 */
export function fixed5(value: number): string {
  const units = Math.round(value * 1e5);
  const size = units < 0 ? -units : units;
  const whole = Math.floor(size / 100_000);
  const fraction = size - whole * 100_000;
  const digits = fraction < 10 ? `0000${fraction}` : fraction < 100 ? `000${fraction}` : fraction < 1000 ? `00${fraction}` : fraction < 10_000 ? `0${fraction}` : `${fraction}`;
  return `${units < 0 ? '-' : ''}${whole}.${digits}`;
}

const quote = (text: string) => (text.includes('"') || text.includes('\\') ? JSON.stringify(text) : `"${text}"`);

export interface PickedExplanation {
  /** Topic indices (into TOPICS) of the reasons, largest first, with their texts. */
  reasons: { topic: number; reason: ChurnReason }[];
  /** Topic indices of the factors, largest effect first. */
  factors: number[];
}

/**
 * Picks the reasons and factors of one customer from the topic sums (`sums[t]` for TOPICS[t]).
 * `read(t)` words topic t as a risk or returns null; `withReasons` is false below the 中 band.
 * Plain selection over eight topics: this runs 200,000 times per scoring.
 */
export function pickTopics(sums: Float64Array, minimum: number, withReasons: boolean, read: (topic: number) => ChurnReason | null): PickedExplanation {
  const order = Array.from(sums.keys()).sort((a, b) => Math.abs(sums[b]!) - Math.abs(sums[a]!));
  const reasons: PickedExplanation['reasons'] = [];
  const factors: number[] = [];
  for (const t of order) {
    const c = sums[t]!;
    if (Math.abs(c) < minimum) break;
    const reason = withReasons && c > 0 && reasons.length < REASON_COUNT ? read(t) : null;
    if (reason) reasons.push({ topic: t, reason });
    else factors.push(t);
  }
  return { reasons, factors };
}

/** The stored JSON, written out by hand: JSON.stringify of an object per customer costs several times more. */
export function encodeExplanation(modelId: number, bias: number, probability: number, sums: Float64Array, picked: PickedExplanation): string {
  let listed = 0;
  const reasons = picked.reasons.map(({ topic, reason }) => {
    const c = round5(sums[topic]!);
    listed += c;
    return `{"topic":"${TOPICS[topic]}","contribution":${fixed5(c)},"text":${quote(reason.text)},"action":${quote(reason.action)}}`;
  });
  const factors = picked.factors.map((topic) => {
    const c = round5(sums[topic]!);
    listed += c;
    return `["${TOPICS[topic]}",${fixed5(c)}]`;
  });
  const b = round5(bias);
  return `{"v":2,"modelId":${modelId},"bias":${fixed5(b)},"reasons":[${reasons.join(',')}],"factors":[${factors.join(',')}],"other":${fixed5(probability - b - listed)}}`;
}

const isTopic = (value: unknown): value is Topic => (TOPICS as readonly unknown[]).includes(value);

export function decodeExplanation(json: string | null): StoredExplanation | null {
  if (json === null) return null;
  try {
    const parsed = JSON.parse(json) as Partial<StoredExplanation>;
    if (parsed.v !== 2 || typeof parsed.modelId !== 'number' || !Array.isArray(parsed.reasons) || !Array.isArray(parsed.factors)) return null;
    return { ...(parsed as StoredExplanation), reasons: parsed.reasons.filter((r) => isTopic(r.topic)), factors: parsed.factors.filter(([t]) => isTopic(t)) };
  } catch {
    return null;
  }
}

/** The reasons as the risk list shows them. */
export function reasonsOf(stored: StoredExplanation | null): ChurnReason[] {
  return stored ? stored.reasons.map((r) => ({ text: r.text, action: r.action })) : [];
}

/** Reasons and factors as the portrait's waterfall steps. */
export function explanationSteps(stored: StoredExplanation): { reasons: ChurnDriver[]; factors: ChurnDriver[] } {
  return {
    reasons: stored.reasons.map((r) => ({ topic: r.topic, label: TOPIC_LABELS[r.topic], contribution: r.contribution, text: r.text, action: r.action })),
    factors: stored.factors.map(([topic, contribution]) => ({ topic, label: TOPIC_LABELS[topic], contribution, text: '', action: '' })),
  };
}
