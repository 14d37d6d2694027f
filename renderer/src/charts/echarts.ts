/** ECharts with only what the screens use: line, bar and pie charts on the canvas renderer. */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, DatasetComponent, CanvasRenderer]);

/** The bank palette: blues first, then greys and a restrained accent. */
export const PALETTE = ['#1f5fae', '#4a8fd8', '#7fb3e6', '#2f9e8f', '#e0a33a', '#8a96a8', '#c0504d', '#6b5fae', '#b8c4d6'];

export const TEXT_STYLE = {
  fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
  fontSize: 12,
  color: '#3c4656',
};
