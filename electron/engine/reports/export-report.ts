/**
 * reports.preview and reports.export. A report is built once (kinds/index.ts) and rendered to each format
 * asked for: the HTML printed to PDF, the Excel appendix, the slides. Every file is written to a
 * temporary name next to its target and renamed into place only when all of them are complete, so a
 * failed or cancelled export leaves no half a report; each file then gets its audit row with its
 * SHA-256 and a row in the report history (migration 008), in one transaction.
 */
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import type { ParsedRequestOf } from '../../../shared/api';
import type { ReportExportResult, ReportFile, ReportFormat, ReportPreview } from '../../../shared/reports';
import { describeRule } from '../../../shared/rule-compiler';
import { appendAudit } from '../audit';
import type { JobContext } from '../context';
import { listContext } from '../customers/list-context';
import { EngineError } from '../errors';
import { commitTarget, discardTemp, prepareTarget, type AtomicTarget } from '../export/atomic-file';
import type { ReportDocument } from './document/model';
import { buildReport } from './kinds';
import { workspaceName } from './overview/overview-store';
import { reportHtml } from './render/html';
import { pdfPageCount } from './render/printer';
import { reportSlides } from './render/pptx';
import { reportWorkbook } from './render/xlsx';

type ExportRequest = ParsedRequestOf<'reports.export'>;

function build(ctx: JobContext, spec: ExportRequest['spec']): ReportDocument {
  const phase = '整理报告数据';
  ctx.progress(phase, 0, 1);
  const doc = buildReport(ctx.db(), spec, {
    workspaceName: workspaceName(ctx.workspacePath()),
    onProgress: (done, total) => ctx.progress(phase, done, total),
    throwIfCancelled: () => ctx.throwIfCancelled(),
  });
  ctx.throwIfCancelled();
  return doc;
}

export async function previewReport(ctx: JobContext, request: ParsedRequestOf<'reports.preview'>): Promise<ReportPreview> {
  const doc = build(ctx, request.spec);
  ctx.progress('排版', 0, 1);
  return { kind: doc.kind, title: doc.title, html: reportHtml(doc), sections: doc.sections.map((s) => s.title) };
}

interface Rendered {
  format: ReportFormat;
  target: AtomicTarget;
  bytes: Buffer;
  detail: Pick<ReportFile, 'pages' | 'sheets' | 'slides'>;
}

async function render(ctx: JobContext, doc: ReportDocument, format: ReportFormat): Promise<{ bytes: Buffer; detail: Rendered['detail'] }> {
  if (format === 'pdf') {
    if (!ctx.printer) throw new EngineError('bad_input', '当前环境不能生成 PDF，请在工作台桌面应用或命令行中导出');
    const pdf = Buffer.from(await ctx.printer.pdf(reportHtml(doc)));
    return { bytes: pdf, detail: { pages: pdfPageCount(pdf) } };
  }
  if (format === 'xlsx') {
    const { buffer, sheets } = await reportWorkbook(doc, ctx.printer ?? null);
    return { bytes: buffer, detail: { sheets } };
  }
  const { buffer, slides } = await reportSlides(doc);
  return { bytes: buffer, detail: { slides } };
}

/** What the audit row says the report was about, in words (a rule as the analyst reads it). */
function auditSpec(ctx: JobContext, spec: ExportRequest['spec']): Record<string, unknown> {
  const { rule, ...rest } = spec;
  if (!rule) return rest;
  try {
    return { ...rest, rule: describeRule(rule, listContext(ctx.db()).catalog) };
  } catch {
    return { ...rest, rule: JSON.stringify(rule).slice(0, 500) };
  }
}

export async function exportReport(ctx: JobContext, request: ExportRequest): Promise<ReportExportResult> {
  const started = Date.now();
  const wanted = (['pdf', 'xlsx', 'pptx'] as const).filter((f) => request[f] !== undefined);
  const paths = wanted.map((f) => request[f] as string);
  if (new Set(paths).size !== paths.length) throw new EngineError('bad_input', 'PDF、Excel 和 PPT 需要保存为不同的文件');
  const targets = wanted.map((format) => ({ format, target: prepareTarget(request[format] as string, format) }));
  const doc = build(ctx, request.spec);
  const rendered: Rendered[] = [];
  let committed = 0;
  try {
    for (const [i, { format, target }] of targets.entries()) {
      ctx.progress(`生成${format === 'pdf' ? ' PDF' : format === 'xlsx' ? ' Excel 附表' : ' PPT'}`, i, targets.length);
      const { bytes, detail } = await render(ctx, doc, format);
      ctx.throwIfCancelled();
      writeFileSync(target.temp, bytes);
      rendered.push({ format, target, bytes, detail });
    }
    // The last moment a cancellation leaves no file behind.
    ctx.throwIfCancelled();
    for (const r of rendered) {
      commitTarget(r.target);
      committed++;
    }
    const db = ctx.db();
    const at = new Date().toISOString();
    const files: ReportFile[] = rendered.map((r) => ({ format: r.format, path: r.target.path, sha256: createHash('sha256').update(r.bytes).digest('hex'), bytes: r.bytes.length, ...r.detail }));
    const spec = auditSpec(ctx, request.spec);
    const insert = db.prepare('INSERT INTO report_exports (at, kind, title, format, path, sha256, bytes, pages, params_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const f of files) {
        const count = f.pages ?? f.slides ?? f.sheets?.length ?? null;
        appendAudit(db, {
          action: 'report.export',
          params: { kind: doc.kind, title: doc.title, format: f.format, file: f.path, bytes: f.bytes, ...(f.pages ? { pages: f.pages } : {}), ...(f.slides ? { slides: f.slides } : {}), ...(f.sheets ? { sheets: f.sheets } : {}), masked: doc.masked, asOf: doc.asOf, spec },
          rowCount: count,
          outputSha256: f.sha256,
        });
        insert.run(at, doc.kind, doc.title, f.format, f.path, f.sha256, f.bytes, count, JSON.stringify(spec));
      }
    })();
    ctx.progress('完成', targets.length, targets.length);
    return { kind: doc.kind, title: doc.title, files, seconds: Math.round((Date.now() - started) / 100) / 10 };
  } catch (error) {
    for (const r of rendered.slice(0, committed)) rmSync(r.target.path, { force: true });
    throw error;
  } finally {
    for (const { target } of targets) discardTemp(target);
  }
}

