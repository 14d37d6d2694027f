/**
 * Human names for clusters, built from the features that set a cluster apart, e.g. "高资产·低活跃·中老年".
 */

/** What the segmentation knows about one feature column. */
export interface FeatureDescriptor {
  /** Column key, e.g. 'aum_avg_3m'. */
  key: string;
  /** Short Chinese label, e.g. '资产'. */
  label: string;
  /** Term for a cluster clearly above average, e.g. '高资产'. null: being high is not worth naming. Default '高{label}'. */
  high?: string | null;
  /** Term for a cluster clearly below average. null: being low is not worth naming. Default '低{label}'. */
  low?: string | null;
  /** A money amount: log-transformed (signed log1p) before standardising. */
  money?: boolean;
}

/** A vocabulary entry: the descriptor given to every feature key the pattern matches. */
export interface VocabularyEntry extends Omit<FeatureDescriptor, 'key'> {
  pattern: RegExp;
}

/**
 * Default vocabulary for customer features, tried in order (specific patterns first: "wealth_share" is a
 * preference, "wealth_balance" is money). Keys are matched case-insensitively against English snake_case
 * names and common Chinese column names.
 */
export const DEFAULT_FEATURE_VOCABULARY: readonly VocabularyEntry[] = [
  { pattern: /(wealth|invest|fund).*(share|ratio|pct|rate)|理财占比/i, label: '理财占比', high: '理财偏好', low: '存款偏好' },
  { pattern: /(loan|debt|liabilit).*(share|ratio|pct|rate)|负债率|负债占比/i, label: '负债', high: '高负债', low: '无负债' },
  { pattern: /(mobile|online|digital|app|e_?bank).*(share|ratio|pct|rate)|线上.*占比|手机银行占比/i, label: '线上渠道', high: '线上偏好', low: '线下偏好' },
  { pattern: /(counter|branch|teller).*(share|ratio|pct|rate)|柜面占比/i, label: '柜面渠道', high: '柜面偏好', low: null },
  { pattern: /(deposit|saving).*(share|ratio|pct|rate)|存款占比/i, label: '存款占比', high: '存款偏好', low: null },
  { pattern: /complain|投诉/i, label: '投诉', high: '有投诉', low: null },
  { pattern: /(^|_)age($|_)|^age|年龄/i, label: '年龄', high: '中老年', low: '年轻' },
  { pattern: /tenure|months_since_open|open_(months|years|days)|account_age|relationship|开户|往来年限/i, label: '往来年限', high: '老客户', low: '新客户' },
  { pattern: /recency|days_since|since_last|last_txn|idle|沉睡|距今/i, label: '距上次交易', high: '久未交易', low: '近期活跃' },
  { pattern: /(product|holding).*(count|cnt|num|number)|num_products|n_products|产品数|持有产品/i, label: '持有产品', high: '多产品', low: '单一产品' },
  { pattern: /(txn|trans|transaction|activity).*(count|cnt|num|freq)|frequency|活跃|交易笔数|交易次数/i, label: '活跃度', high: '高活跃', low: '低活跃' },
  { pattern: /(txn|trans|transaction).*(amount|amt|sum|volume)|inflow|outflow|流入|流出|交易金额/i, label: '交易金额', high: '大额流水', low: '小额流水', money: true },
  { pattern: /(aum|asset)|资产/i, label: '资产', high: '高资产', low: '低资产', money: true },
  { pattern: /deposit|存款/i, label: '存款', high: '高存款', low: '低存款', money: true },
  { pattern: /wealth|理财/i, label: '理财', high: '高理财', low: '少理财', money: true },
  { pattern: /loan|mortgage|贷款/i, label: '贷款', high: '高贷款', low: '无贷款', money: true },
  { pattern: /growth|trend|change|增长|变动/i, label: '资产趋势', high: '资产增长', low: '资产下滑' },
  { pattern: /income|salary|收入|代发/i, label: '收入', high: '高收入', low: '低收入' },
  { pattern: /risk|风险/i, label: '风险偏好', high: '进取型', low: '保守型' },
  { pattern: /visit|contact|interaction|call|拜访|联系/i, label: '互动', high: '高互动', low: '少互动' },
];

/**
 * The descriptor for a feature key: the first vocabulary entry whose pattern matches, else a generic one
 * labelled with the key itself ("高{key}" / "低{key}"). `overrides` win over the vocabulary, e.g. to give
 * a Chinese label to an unknown column.
 */
export function describeFeature(
  key: string,
  overrides: Partial<Omit<FeatureDescriptor, 'key'>> = {},
  vocabulary: readonly VocabularyEntry[] = DEFAULT_FEATURE_VOCABULARY,
): FeatureDescriptor {
  const entry = vocabulary.find((candidate) => candidate.pattern.test(key));
  const base: FeatureDescriptor = entry
    ? { key, label: entry.label, high: entry.high, low: entry.low, money: entry.money ?? false }
    : { key, label: key, money: false };
  return { ...base, ...overrides, key };
}

/** The naming term of a feature in a direction, with the generic fallback; null when not worth naming. */
export function featureTerm(feature: FeatureDescriptor, direction: 'high' | 'low'): string | null {
  const term = direction === 'high' ? feature.high : feature.low;
  if (term === null) return null;
  if (term !== undefined && term !== '') return term;
  return `${direction === 'high' ? '高' : '低'}${feature.label}`;
}

/**
 * The term of feature `f` for cluster `c` in a direction, when something other than the z-score decides it
 * (the absolute facts: a cluster above the branch mean in assets is not 高资产 if most of it is 大众).
 * null: nothing worth naming; undefined: the feature's usual term.
 */
export type ClusterTerm = (cluster: number, f: number, direction: 'high' | 'low') => string | null | undefined;

export interface NamingOptions {
  /** Features name a cluster only when its mean is at least this many SDs from the overall mean. Default 0.5. */
  minAbsZ?: number;
  /** At most this many terms per name. Default 3. */
  maxTerms?: number;
  /** Default '·'. */
  separator?: string;
  /** Name of a cluster with no distinguishing feature. Default '均衡客群'. */
  balancedName?: string;
  /** Per-cluster terms; see ClusterTerm. */
  termOf?: ClusterTerm;
}

export const NAMING_DEFAULTS = { minAbsZ: 0.5, maxTerms: 3, separator: '·', balancedName: '均衡客群' } as const satisfies Required<Omit<NamingOptions, 'termOf'>>;

export interface NamedTerm {
  feature: number;
  z: number;
  term: string;
}

/** Nameable terms of one cluster, strongest first, down to |z| ≥ minAbsZ. */
export function rankedTerms(
  zScores: ArrayLike<number>,
  features: ReadonlyArray<FeatureDescriptor>,
  minAbsZ: number,
  termOf: (f: number, direction: 'high' | 'low') => string | null | undefined = () => undefined,
): NamedTerm[] {
  if (zScores.length !== features.length) throw new Error(`维度不匹配：${zScores.length} 个 z 值，${features.length} 个特征`);
  const terms: NamedTerm[] = [];
  for (let f = 0; f < features.length; f++) {
    const z = zScores[f] as number;
    if (!(Math.abs(z) >= minAbsZ)) continue;
    const direction = z > 0 ? 'high' : 'low';
    const given = termOf(f, direction);
    const term = given === undefined ? featureTerm(features[f] as FeatureDescriptor, direction) : given;
    if (term !== null) terms.push({ feature: f, z, term });
  }
  // Ties by column order keep names stable.
  return terms.sort((p, q) => Math.abs(q.z) - Math.abs(p.z) || p.feature - q.feature);
}

/**
 * One unique name per cluster from its top 2–3 terms. When two clusters would share a name, each gets its
 * next term (down to half the threshold) if that separates them; otherwise, or if still equal, the larger
 * cluster gets "·群1", the next "·群2", and so on.
 */
export function suggestClusterNames(
  zScoresByCluster: ReadonlyArray<ArrayLike<number>>,
  features: ReadonlyArray<FeatureDescriptor>,
  sizes?: ArrayLike<number>,
  options: NamingOptions = {},
): string[] {
  const minAbsZ = options.minAbsZ ?? NAMING_DEFAULTS.minAbsZ;
  const maxTerms = options.maxTerms ?? NAMING_DEFAULTS.maxTerms;
  const separator = options.separator ?? NAMING_DEFAULTS.separator;
  const balancedName = options.balancedName ?? NAMING_DEFAULTS.balancedName;
  if (!Number.isInteger(maxTerms) || maxTerms < 1) throw new Error(`maxTerms 必须是正整数，收到 ${maxTerms}`);

  const termOf = options.termOf ?? (() => undefined);
  const ranked = (c: number, threshold: number) => rankedTerms(zScoresByCluster[c] as ArrayLike<number>, features, threshold, (f, direction) => termOf(c, f, direction));
  const primary = zScoresByCluster.map((_, c) => ranked(c, minAbsZ).slice(0, maxTerms));
  const names = primary.map((terms) => (terms.length === 0 ? balancedName : terms.map((t) => t.term).join(separator)));

  for (const members of clashes(names)) {
    const extended = members.map((c) => {
      const used = new Set((primary[c] as NamedTerm[]).map((t) => t.feature));
      if (used.size === 0) return null;
      const next = ranked(c, minAbsZ / 2).find((t) => !used.has(t.feature));
      return next ? `${names[c]}${separator}${next.term}` : null;
    });
    const distinct = new Set(extended);
    const taken = new Set(names.filter((_, c) => !members.includes(c)));
    if (extended.every((name) => name !== null && !taken.has(name)) && distinct.size === members.length) {
      members.forEach((c, m) => (names[c] = extended[m] as string));
    }
  }

  for (const members of clashes(names)) {
    const bySize = [...members].sort((p, q) => (sizes ? (sizes[q] as number) - (sizes[p] as number) : 0) || p - q);
    bySize.forEach((c, rank) => (names[c] = `${names[c]}${separator}群${rank + 1}`));
  }
  return names;
}

function clashes(names: readonly string[]): number[][] {
  const byName = new Map<string, number[]>();
  names.forEach((name, c) => byName.set(name, [...(byName.get(name) ?? []), c]));
  return [...byName.values()].filter((members) => members.length > 1);
}
