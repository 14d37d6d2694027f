/**
 * Charts as PNG pictures for the Excel appendix: every chart's SVG laid out in one page, one below the
 * other at known positions, drawn once by the printer and cut into one picture per chart.
 */
import type { Chart } from '../document/model';
import { chartSize, chartSvg, PAGE_WIDTH_PX } from './charts';
import { fontFaceCss } from './fonts';
import type { ReportPrinter } from './printer';

const GAP = 12;

export interface ChartImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export async function chartImages(charts: readonly Chart[], printer: ReportPrinter): Promise<ChartImage[]> {
  let y = 0;
  const placed = charts.map((chart) => {
    const size = chartSize(chart);
    const at = { x: 0, y, ...size };
    y += size.height + GAP;
    return { svg: chartSvg(chart), at };
  });
  const body = placed.map((p) => `<div style="position:absolute;left:${p.at.x}px;top:${p.at.y}px;width:${p.at.width}px;height:${p.at.height}px">${p.svg}</div>`).join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:"><style>${fontFaceCss(body)} html, body { margin: 0; background: #fff; }</style></head><body>${body}</body></html>`;
  const shots = await printer.images(html, { width: PAGE_WIDTH_PX, height: Math.max(1, y) }, placed.map((p) => p.at));
  return shots.map((png, i) => ({ png, width: placed[i]!.at.width, height: placed[i]!.at.height }));
}
