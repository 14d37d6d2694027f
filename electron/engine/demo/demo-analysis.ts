/**
 * A demo branch is for exploring, so it comes analysed: every step an analyst would otherwise run one by
 * one on a fresh workspace, in order, on the new file. The app's 一键创建示范工作区 and the CLI's `demo`
 * both run them (skipped with `analyze: false` / `--skip-analysis`).
 *
 * A capability that needs its results present in a demo (product matching, campaigns, …) adds its step
 * here, after the steps it builds on.
 */
import { channels, type ParsedRequestOf } from '../../../shared/api';
import { scoreChurn } from '../analytics/churn/score';
import { trainChurnModel } from '../analytics/churn/train';
import { runAnalysis } from '../analytics/run-analysis';
import { registerHistoryCampaigns } from '../campaigns/store';
import type { JobContext } from '../context';

export interface DemoAnalysisStep {
  /** Shown in the progress bar and the CLI. */
  phase: string;
  /** Runs the step; returns the figures worth a line of the summary. */
  run(ctx: JobContext, previous: DemoAnalysisResults): Promise<Record<string, number | string>>;
}

export type DemoAnalysisResults = Record<string, Record<string, number | string>>;

const defaults = <C extends 'analysis.run' | 'churn.train' | 'churn.score'>(channel: C, request: object = {}): ParsedRequestOf<C> =>
  channels[channel].request.parse(request) as ParsedRequestOf<C>;

export const DEMO_ANALYSIS_STEPS: readonly (DemoAnalysisStep & { key: string })[] = [
  {
    key: 'analysis',
    phase: '客户分析',
    run: async (ctx) => {
      const summary = await runAnalysis(ctx, defaults('analysis.run'));
      return { runId: summary.runId, asOf: summary.asOf };
    },
  },
  {
    key: 'churnModel',
    phase: '训练流失模型',
    run: async (ctx) => {
      const card = await trainChurnModel(ctx, defaults('churn.train'));
      return { modelId: card.modelId, rocAuc: card.metrics.rocAuc };
    },
  },
  {
    key: 'churnScores',
    phase: '流失打分',
    run: async (ctx, previous) => {
      const modelId = Number(previous.churnModel?.modelId);
      const scored = await scoreChurn(ctx, defaults('churn.score', { modelId }));
      return { runId: scored.runId, scored: scored.scored, high: scored.counts.high, lost: scored.excluded.churned + scored.excluded.dormant };
    },
  },
  {
    // The demo's past campaigns exist only as responses; a row each makes them campaigns like any other
    // (listed as 历史活动, counted in contact fatigue, evaluable from their responses).
    key: 'campaignHistory',
    phase: '登记历史营销活动',
    run: async (ctx) => ({ campaigns: registerHistoryCampaigns(ctx.db()) }),
  },
];

/** Runs every step on the workspace behind `ctx`; stops at the first failure, which the caller reports. */
export async function analyseDemo(ctx: JobContext): Promise<DemoAnalysisResults> {
  const results: DemoAnalysisResults = {};
  for (const step of DEMO_ANALYSIS_STEPS) {
    ctx.throwIfCancelled();
    results[step.key] = await step.run(
      { ...ctx, progress: (phase, done, total) => ctx.progress(`${step.phase}：${phase}`, done, total) },
      results,
    );
  }
  return results;
}
