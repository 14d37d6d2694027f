/**
 * The A4 print style of every report. @page margin boxes carry the running header (branch, report, data
 * as-of date), the page numbers and the 内部资料 注意保密 footer, so Chromium and Electron print them from
 * the document itself, with no header template of their own. On screen (the preview) the same document
 * shows as a sheet of paper.
 */
import { REPORT_FONT_STACK } from './fonts';

const cssString = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ')}"`;

export function reportCss(header: { left: string; right: string }): string {
  const margin = `font-family: ${REPORT_FONT_STACK}; font-size: 8pt; color: #5a6472;`;
  return `
@page {
  size: A4;
  margin: 17mm 14mm 16mm 14mm;
  @top-left { content: ${cssString(header.left)}; ${margin} vertical-align: bottom; padding-bottom: 2mm; }
  @top-right { content: ${cssString(header.right)}; ${margin} vertical-align: bottom; padding-bottom: 2mm; }
  @bottom-left { content: "内部资料 注意保密"; ${margin} color: #a61b1b; font-weight: bold; vertical-align: top; padding-top: 2mm; }
  @bottom-right { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; ${margin} vertical-align: top; padding-top: 2mm; }
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${REPORT_FONT_STACK}; font-size: 9.5pt; line-height: 1.55; color: #1f2d3d; }
.cover { border-bottom: 2px solid #2f6fdb; padding-bottom: 8px; margin-bottom: 12px; }
.cover h1 { font-size: 18pt; margin: 0 0 4px; letter-spacing: 0.5px; }
.cover .sub { font-size: 10pt; color: #3d4a5c; }
.cover .meta { font-size: 8.5pt; color: #5a6472; margin-top: 4px; }
.highlights { background: #f3f6fb; border-left: 3px solid #2f6fdb; padding: 6px 10px; margin: 0 0 12px; }
.highlights h2 { font-size: 10.5pt; margin: 0 0 2px; border: none; padding: 0; }
.highlights ul { margin: 0; padding-left: 18px; }
section { margin-bottom: 10px; }
section.break { break-before: page; }
h2 { font-size: 12pt; margin: 12px 0 4px; padding-bottom: 2px; border-bottom: 1px solid #d5dbe5; break-after: avoid; }
h3 { font-size: 9.5pt; margin: 6px 0 2px; break-after: avoid; }
p.narrative { margin: 2px 0 6px; text-align: justify; }
p.text { margin: 2px 0 6px; color: #3d4a5c; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px; margin: 4px 0 8px; break-inside: avoid; }
.figure { border: 1px solid #d5dbe5; border-radius: 3px; padding: 4px 7px; }
.figure .label { font-size: 8pt; color: #5a6472; }
.figure .value { font-size: 13pt; font-weight: bold; line-height: 1.3; }
.figure .unit { font-size: 8pt; font-weight: normal; color: #5a6472; margin-left: 2px; }
.figure .change { font-size: 7.5pt; color: #5a6472; }
.figure .change.good { color: #1d7a45; }
.figure .change.bad { color: #b42318; }
.chart { break-inside: avoid; margin: 4px 0 8px; }
.chart svg { display: block; }
.row { display: flex; justify-content: space-between; gap: 16px; break-inside: avoid; }
table { width: 100%; border-collapse: collapse; margin: 2px 0 4px; font-size: 8.5pt; }
table.dense { font-size: 7pt; line-height: 1.25; }
caption { text-align: left; font-weight: bold; font-size: 9pt; padding: 2px 0; caption-side: top; }
th, td { border-bottom: 1px solid #e3e7ee; padding: 2px 5px; text-align: left; vertical-align: top; }
table.dense th, table.dense td { padding: 0.5px 4px; }
th { background: #eef2f8; font-weight: bold; border-bottom: 1px solid #c5cedc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
.table-note { font-size: 7.5pt; color: #5a6472; margin: 0 0 8px; }
.notes { font-size: 7.5pt; color: #5a6472; border-top: 1px solid #d5dbe5; margin-top: 12px; padding-top: 4px; }
.notes ol { margin: 2px 0 0; padding-left: 18px; }
@media screen {
  html { background: #e9edf3; }
  body { width: 210mm; margin: 16px auto; background: #fff; padding: 17mm 14mm 16mm; box-shadow: 0 1px 6px rgba(31, 45, 61, 0.18); }
  .screen-head { display: flex; justify-content: space-between; font-size: 8pt; color: #5a6472; border-bottom: 1px solid #e3e7ee; margin: -10mm 0 8mm; padding-bottom: 2mm; }
  .screen-foot { font-size: 8pt; color: #a61b1b; font-weight: bold; border-top: 1px solid #e3e7ee; margin-top: 10mm; padding-top: 2mm; }
}
@media print { .screen-head, .screen-foot { display: none; } }
`;
}
