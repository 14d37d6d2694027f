/**
 * export.table: the customer list, an import batch's errors or a table from the screen, to XLSX or to
 * CSV. Streams to a temporary file next to the target and renames it into place only when complete, so a
 * cancelled or crashed export leaves no file; then hashes the file and records the export in the audit
 * log (an export never exists without its audit entry).
 */
import { rmSync } from 'node:fs';
import type { ExportResult } from '../../../shared/api';
import { appendAudit } from '../audit';
import { EngineError } from '../errors';
import type { JobContext } from '../context';
import { sha256File } from '../util/hash';
import { commitTarget, discardTemp, prepareTarget, type AtomicTarget } from './atomic-file';
import { openCsvWriter } from './csv-writer';
import type { ExportSource } from './export-source';
import { exportSource, type ExportRequest } from './sources';
import type { SheetWriter } from './sheet';
import { openXlsxWriter } from './xlsx-writer';

export async function exportTable(ctx: JobContext, request: ExportRequest): Promise<ExportResult> {
  const format = request.format ?? 'xlsx';
  const target = prepareTarget(request.path, format);
  return writeExport(ctx, target, format, request.kind, exportSource(ctx.db(), request), request.purpose ?? null);
}

/**
 * Writes any export source (sources.ts, or a capability's own such as product matching's list) the same
 * way: atomically, hashed, and with its audit entry under `kind`. Personal data leaving in the clear, a
 * whole list at once, needs a stated purpose, like unmasking one customer.
 */
export async function writeExport(ctx: JobContext, target: AtomicTarget, format: 'xlsx' | 'csv', kind: string, source: ExportSource, purpose: string | null = null): Promise<ExportResult> {
  const db = ctx.db();
  if (source.audit.masked === false && !purpose) {
    throw new EngineError('bad_input', '脱敏已关闭，导出的文件将含有客户完整的姓名、手机号码和证件号码。请填写导出用途（至少 4 个字）后再导出');
  }
  const phase = `导出${source.title}`;
  ctx.progress(phase, 0, source.total);

  let writer: SheetWriter | null = null;
  let committed = false;
  try {
    writer = format === 'xlsx' ? await openXlsxWriter(target.temp, source.title, source.columns) : await openCsvWriter(target.temp, source.columns);
    let rows = 0;
    for (const chunk of source.chunks()) {
      ctx.throwIfCancelled();
      await writer.write(chunk);
      rows += chunk.length;
      ctx.progress(phase, rows, Math.max(source.total, rows));
    }
    ctx.throwIfCancelled();
    const exportedAt = new Date();
    await writer.finish([['内容', source.title], ['导出时间', exportedAt.toLocaleString('zh-CN', { hour12: false })], ['行数', String(rows)], ...source.notes]);
    const sha256 = await sha256File(target.temp);
    // The last moment a cancellation can still leave no file behind.
    ctx.throwIfCancelled();
    commitTarget(target);
    committed = true;
    try {
      appendAudit(db, {
        action: 'export',
        params: { kind, file: target.path, format, replaced: target.replaces, ...source.audit },
        rowCount: rows,
        outputSha256: sha256,
        reason: purpose,
      });
    } catch (error) {
      rmSync(target.path, { force: true });
      throw error;
    }
    return { path: target.path, rows, sha256 };
  } finally {
    if (!committed) {
      await writer?.abort();
      discardTemp(target);
    }
  }
}
