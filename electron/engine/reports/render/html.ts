/**
 * A report document as one self-contained HTML page: inline CSS, inline SVG charts and, when a CJK font
 * is found, the font subset inline as a data: URL. No script, no link, no remote anything: the same HTML
 * prints to PDF in Chromium and in Electron and previews in the app's window.
 */
import { chartSvg } from './charts';
import { fontFaceCss } from './fonts';
import { reportCss } from './styles';
import { formatDateTime, formatValue } from '../document/format';
import type { Block, Chart, Figure, ReportDocument, Table } from '../document/model';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

const NUMERIC = new Set(['int', 'wan', 'pct', 'pp', 'ratio', 'signedInt', 'signedWan', 'score']);

function figureHtml(f: Figure): string {
  const change = f.change ? `<div class="change ${f.tone ?? 'neutral'}">${escapeHtml(f.change)}</div>` : '';
  return `<div class="figure"><div class="label">${escapeHtml(f.label)}</div><div class="value">${escapeHtml(formatValue(f.value, f.kind))}<span class="unit">${escapeHtml(f.unit)}</span></div>${change}</div>`;
}

function tableHtml(t: Table): string {
  const head = t.columns.map((c) => `<th class="${NUMERIC.has(c.kind) ? 'num' : ''}"${c.width ? ` style="width:${c.width}%"` : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = t.rows
    .map((row) => `<tr>${t.columns.map((c) => `<td class="${NUMERIC.has(c.kind) ? 'num' : ''}">${escapeHtml(formatValue(row[c.key] ?? null, c.kind))}</td>`).join('')}</tr>`)
    .join('');
  const note = t.note ? `<p class="table-note">${escapeHtml(t.note)}</p>` : '';
  return `<table class="${t.dense ? 'dense' : ''}" data-table="${escapeHtml(t.id)}"><caption>${escapeHtml(t.title)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${note}`;
}

function chartHtml(c: Chart): string {
  return `<div class="chart" data-chart="${escapeHtml(c.id)}">${chartSvg(c)}</div>`;
}

function blocksHtml(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as Block;
    if (block.type === 'chart' && block.chart.half) {
      const next = blocks[i + 1];
      if (next?.type === 'chart' && next.chart.half) {
        out.push(`<div class="row">${chartHtml(block.chart)}${chartHtml(next.chart)}</div>`);
        i++;
        continue;
      }
    }
    switch (block.type) {
      case 'figures':
        out.push(`<div class="figures">${block.figures.map(figureHtml).join('')}</div>`);
        break;
      case 'chart':
        out.push(chartHtml(block.chart));
        break;
      case 'table':
        out.push(tableHtml(block.table));
        break;
      case 'text':
        out.push(`<p class="text">${escapeHtml(block.text)}</p>`);
        break;
    }
  }
  return out.join('\n');
}

export interface HtmlOptions {
  /** Embed the font subset (PDF and PNG); the in-app preview can do without. */
  embedFont?: boolean;
}

export function reportHtml(doc: ReportDocument, options: HtmlOptions = {}): string {
  const headerLeft = `${doc.branchName} · ${doc.title}`;
  const headerRight = `数据截至 ${doc.asOf}`;
  const masking = doc.masked ? '客户姓名已脱敏' : '未脱敏（含客户敏感信息，请妥善保管）';
  const body = [
    `<div class="screen-head"><span>${escapeHtml(headerLeft)}</span><span>${escapeHtml(headerRight)}</span></div>`,
    `<div class="cover"><h1>${escapeHtml(doc.title)}</h1><div class="sub">${escapeHtml(doc.subtitle)}</div>`,
    `<div class="meta">${escapeHtml(doc.branchName)}　数据截至 ${escapeHtml(doc.asOf)}　生成于 ${escapeHtml(formatDateTime(doc.generatedAt))}　${escapeHtml(masking)}</div></div>`,
    doc.highlights.length > 0 ? `<div class="highlights"><h2>要点</h2><ul>${doc.highlights.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul></div>` : '',
    ...doc.sections.map(
      (s) =>
        `<section class="${s.pageBreak ? 'break' : ''}" data-section="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>${s.narrative ? `<p class="narrative">${escapeHtml(s.narrative)}</p>` : ''}${blocksHtml(s.blocks)}</section>`,
    ),
    doc.notes.length > 0 ? `<div class="notes"><strong>口径说明</strong><ol>${doc.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ol></div>` : '',
    `<div class="screen-foot">内部资料 注意保密</div>`,
  ].join('\n');
  const css = reportCss({ left: headerLeft, right: headerRight });
  const font = options.embedFont === false ? '' : fontFaceCss(`${css}${body}0123456789`);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:">
<title>${escapeHtml(`${doc.branchName} ${doc.title}`)}</title>
<style>${font}${css}</style></head>
<body>
${body}
</body></html>`;
}
