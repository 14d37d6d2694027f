/** analysis_runs.kind of the runs this module writes; the screens look runs up by it. */
export const CUSTOMER_ANALYSIS_KIND = 'customer_analysis';

/** Phase names of a customer analysis as the progress bar and the CLI show them. */
export const CUSTOMER_ANALYSIS_PHASES = {
  features: '计算客户特征',
  rfm: '计算RFM',
  tiers: '价值分层',
  lifecycle: '生命周期',
  write: '保存结果',
  tags: '标签',
} as const;
