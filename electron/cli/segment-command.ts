/**
 * `segment`: K-means segmentation of a workspace's customers from the command line, on the features of the
 * latest customer analysis.
 *
 *   npm run cli -- segment --workspace W.bpw [--k K] [--features a,b,c] [--seed S] [--json]
 *
 * Prints k, the strength of separation in words (区分度, from the silhouette), how missing values were
 * filled, each cluster's size, suggested name and profile in words, and the silhouette curve when k was
 * suggested. The clustering is kept as a segmentation run (its id is printed) for saving as segments.
 */
import { resolve } from 'node:path';
import { FEATURE_KEYS, type FeatureKey } from '../../shared/analytics';
import { deviationWords, formatFeatureValue, SEPARATION_TEXT, separationLevel } from '../../shared/analysis-text';
import { formatShare } from '../../shared/glossary';
import type { EngineHost } from '../engine/host';
import { EngineError } from '../engine/errors';
import { EXIT_OK, fmt, type CliOutput } from './output';
import { intOption, openWorkspace, requireOption, type CommandArgs } from './workspace-commands';

/** Assets, activity, age, breadth of products, digital habit and tenure: what branch segments differ in. */
export const DEFAULT_SEGMENT_FEATURES: readonly FeatureKey[] = ['aum_avg_3m', 'txn_count_90d', 'age', 'product_count', 'mobile_share', 'tenure_months'];

export async function segmentCommand(host: EngineHost, args: CommandArgs, out: CliOutput): Promise<number> {
  const workspace = requireOption(args, 'workspace', '工作区文件，如 branch.bpw');
  const features = parseFeatures(args.values.features);
  const k = typeof args.values.k === 'string' ? intOption(args, 'k', 0) : undefined;
  const seed = intOption(args, 'seed', 1);
  await openWorkspace(host, workspace);

  // Features exist only after a customer analysis; say which command makes them.
  const fields = await host.call('customers.fields', {});
  if (features.some((key) => key in fields.unavailable)) {
    throw new EngineError('bad_input', `请先运行客户分析：npm run cli -- analyze --workspace ${workspace}`);
  }

  out.say(`正在对 ${resolve(workspace)} 的客户分群：特征 ${features.join(', ')}，${k === undefined ? '分群数按轮廓系数在 2–10 中推荐' : `分群数 ${k}`}，种子 ${seed}`);
  const result = await host.runJob('segments.cluster', { features, seed, ...(k === undefined ? {} : { k }) }, out.progress());

  const separation = SEPARATION_TEXT[separationLevel(result.silhouette)];
  out.say(`\n分群数 k = ${result.k}，区分度：${separation.label}（轮廓系数 ${result.silhouette.toFixed(2)}），客户 ${fmt(result.customers ?? 0)} 位，用时 ${result.seconds.toFixed(1)} 秒（分群批次 #${result.runId}）`);
  out.say(`  ${separation.meaning}。`);
  for (const imputed of result.imputed ?? []) {
    out.say(
      imputed.method === 'cap'
        ? `  ${imputed.label}：${fmt(imputed.customers)} 位客户从未主动交易，按 ${fmt(imputed.value)} 天计（超过 ${fmt(imputed.value)} 天的也按 ${fmt(imputed.value)} 天计）`
        : `  ${imputed.label}：${fmt(imputed.customers)} 位客户缺失，按中位数 ${formatFeatureValue(imputed.feature, imputed.value)} 填补`,
    );
  }
  out.say('\n各群：');
  for (const cluster of result.clusters) {
    const traits = cluster.topFeatures.slice(0, 3).map((f) => `${f.label} ${deviationWords(f.z)}`).join('，');
    out.say(`  ${String(cluster.index + 1).padStart(2)}. ${cluster.name.padEnd(16, '　')} ${fmt(cluster.size).padStart(10)} 人 ${formatShare(cluster.share).padStart(6)}  ${traits}`);
    if (cluster.description) out.say(`      ${cluster.description}`);
  }
  if (result.silhouetteCurve) {
    out.say('\n轮廓系数曲线：');
    for (const point of result.silhouetteCurve) out.say(`  k=${String(point.k).padStart(2)}  ${point.silhouette.toFixed(3)}${point.k === result.k ? '  ← 推荐' : ''}`);
  }
  return out.finish(
    {
      ok: true,
      runId: result.runId,
      k: result.k,
      silhouette: result.silhouette,
      separation: separationLevel(result.silhouette),
      customers: result.customers ?? null,
      features: result.features,
      clusters: result.clusters.map((c) => ({ index: c.index, name: c.name, size: c.size, share: c.share, description: c.description ?? null, tierShares: c.tierShares ?? null, topFeatures: c.topFeatures })),
      silhouetteCurve: result.silhouetteCurve,
      imputed: result.imputed ?? [],
      seconds: result.seconds,
    },
    EXIT_OK,
  );
}

function parseFeatures(value: string | boolean | undefined): FeatureKey[] {
  if (typeof value !== 'string') return [...DEFAULT_SEGMENT_FEATURES];
  const keys = value.split(/[,，\s]+/).map((key) => key.trim()).filter(Boolean);
  const unknown = keys.filter((key) => !(FEATURE_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new EngineError('bad_input', `未知的特征 ${unknown.join('、')}。可用：${FEATURE_KEYS.join(', ')}`);
  if (new Set(keys).size < 2) throw new EngineError('bad_input', '--features 至少需要 2 个不同的特征，用逗号分隔，如 aum_avg_3m,age');
  return [...new Set(keys)] as FeatureKey[];
}
