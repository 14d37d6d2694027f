/**
 * ECharts with only what the screens use, on the canvas renderer: line, bar and pie charts; the funnel of
 * the tier pyramid; the Sankey of tier migration; the RFM heatmap with its visual map; the radar of
 * cluster profiles.
 */
import { BarChart, FunnelChart, HeatmapChart, LineChart, PieChart, RadarChart, SankeyChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([
  LineChart,
  BarChart,
  PieChart,
  FunnelChart,
  SankeyChart,
  HeatmapChart,
  RadarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DatasetComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
]);

/** The bank palette: blues first, then greys and a restrained accent. */
export const PALETTE = ['#1f5fae', '#4a8fd8', '#7fb3e6', '#2f9e8f', '#e0a33a', '#8a96a8', '#c0504d', '#6b5fae', '#b8c4d6'];

/** Colours of the value tiers, from 大众 to 私行: pale to deep, so a pyramid reads at a glance; 无记录 grey. */
export const TIER_COLORS: Readonly<Record<string, string>> = { mass: '#9fbfe3', affluent: '#4a8fd8', wealth: '#1f5fae', private: '#0f2f5c', no_record: '#b8c4d6' };

/**
 * Categories that have no order (clusters, communities): hues far apart, so that series never look alike
 * (issue #14: three clusters in near-identical blues).
 */
export const CATEGORY_COLORS = ['#1f5fae', '#e07b39', '#2f9e8f', '#8e44ad', '#c0504d', '#b8860b', '#5d6d7e', '#17a2b8', '#8c564b', '#d6619e'];

/** Risk colours: rising churn in red, falling in green, as a Chinese analyst reads a waterfall of risk. */
export const RISK_UP = '#c0504d';
export const RISK_DOWN = '#2f9e8f';

export const TEXT_STYLE = {
  fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
  fontSize: 12,
  color: '#3c4656',
};
