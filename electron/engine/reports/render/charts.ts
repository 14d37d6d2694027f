/**
 * Charts as SVG from ECharts' server-side renderer (`ssr: true`, `renderToSVGString()`): no DOM, so the
 * same code draws the report in the app, the CLI and tests. The SVG goes inline into the HTML and, drawn to
 * PNG by the printer, into the Excel appendix.
 */
import * as echarts from 'echarts';
import type { Chart } from '../document/model';
import { REPORT_FONT_STACK } from './fonts';

export const PAGE_WIDTH_PX = 680;
export const DEFAULT_CHART_HEIGHT = 230;

/** Distinct hues in a fixed order (blue, orange, green, red, purple, …), readable in greyscale print too. */
export const PALETTE = ['#2f6fdb', '#f08c2e', '#2e9e5b', '#d64545', '#7b5ccf', '#1aa3b8', '#b8860b', '#8c8c8c'];

export function chartSize(chart: Chart): { width: number; height: number } {
  return { width: chart.half ? Math.floor(PAGE_WIDTH_PX / 2) - 8 : PAGE_WIDTH_PX, height: chart.height ?? DEFAULT_CHART_HEIGHT };
}

const grouped = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });

export function axisLabel(value: number, kind: Chart['valueKind']): string {
  if (kind === 'pct') return `${Math.round(value * 1000) / 10}%`;
  return grouped.format(value);
}

function dataLabel(value: number | null, kind: Chart['valueKind']): string {
  if (value === null) return '';
  if (kind === 'pct') return `${(value * 100).toFixed(1)}%`;
  if (kind === 'wan') return grouped.format(Math.round(value * 100) / 100);
  return grouped.format(value);
}

/** The title with the unit in its brackets: 资产总额（近12个月，万元）. */
export function titleWithUnit(chart: Chart): string {
  if (!chart.unit) return chart.title;
  return chart.title.endsWith('）') ? `${chart.title.slice(0, -1)}，${chart.unit}）` : `${chart.title}（${chart.unit}）`;
}

export function chartOption(chart: Chart): echarts.EChartsCoreOption {
  const label = (show: boolean, position: string) => ({
    show,
    position,
    fontSize: 10,
    color: '#333',
    formatter: (p: { value: number | null }) => dataLabel(typeof p.value === 'number' ? p.value : null, chart.valueKind),
  });
  const base = {
    animation: false,
    color: chart.colors ?? PALETTE,
    textStyle: { fontFamily: REPORT_FONT_STACK, fontSize: 11, color: '#333' },
    title: { text: titleWithUnit(chart), left: 0, top: 0, textStyle: { fontSize: 12, fontWeight: 'bold', fontFamily: REPORT_FONT_STACK, color: '#1f2d3d' } },
    legend: chart.series.length > 1 || chart.type === 'pie' ? { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10 } } : { show: false },
  };
  if (chart.type === 'pie') {
    const series = chart.series[0];
    return {
      ...base,
      series: [
        {
          type: 'pie',
          radius: ['38%', '62%'],
          center: ['50%', '58%'],
          label: { fontSize: 10, formatter: '{b} {d}%' },
          data: chart.categories.map((name, i) => ({ name, value: series?.values[i] ?? 0 })),
        },
      ],
    };
  }
  const horizontal = chart.type === 'barH';
  const categoryAxis = { type: 'category', data: chart.categories, axisLabel: { fontSize: 10, interval: 0, hideOverlap: !horizontal }, axisTick: { alignWithLabel: true } };
  const valueAxis = {
    type: 'value',
    axisLabel: { fontSize: 10, formatter: (v: number) => axisLabel(v, chart.valueKind) },
    splitLine: { lineStyle: { color: '#e6e9ef' } },
    scale: chart.type === 'line',
  };
  const showLabels = chart.type !== 'line' && chart.categories.length * chart.series.length <= 24;
  return {
    ...base,
    grid: { left: 8, right: horizontal ? 48 : 16, top: 34, bottom: 4, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: chart.series.map((s) => ({
      name: s.name,
      type: chart.type === 'line' ? 'line' : 'bar',
      data: s.values,
      stack: chart.type === 'stacked' ? 'total' : undefined,
      barMaxWidth: 28,
      symbolSize: 5,
      connectNulls: false,
      label: chart.type === 'stacked' ? { show: false } : label(showLabels, horizontal ? 'right' : 'top'),
    })),
  };
}

export function chartSvg(chart: Chart): string {
  const { width, height } = chartSize(chart);
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    instance.setOption(chartOption(chart));
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}
