/**
 * The rejected rows of an import batch: 行号, 列, 值, 问题. A rejected ID number is still an ID number, so
 * values of PII columns are masked, in the message that quotes them too, unless masking is off.
 */
import { entity as entityDef, isEntityKey, type PiiKind } from '../../../shared/dictionary';
import { maskValue } from '../../../shared/masking';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { EXPORT_CHUNK, maskNote, type ExportRequest, type ExportSource } from './export-source';
import type { Cell } from './sheet';

interface ErrorRow {
  row_number: number;
  column_name: string | null;
  value: string | null;
  message: string;
}

export function importErrorsSource(db: Db, request: ExportRequest): ExportSource {
  if (request.batchId === undefined) throw new EngineError('bad_input', '请指定要导出错误明细的导入批次');
  const batch = db.prepare('SELECT entity, file_name, mapping_json FROM import_batches WHERE batch_id = ?').get(request.batchId) as
    | { entity: string; file_name: string; mapping_json: string }
    | undefined;
  if (!batch) throw new EngineError('not_found', `找不到导入批次 ${request.batchId}，请刷新导入记录后重试`);
  const masked = readSettings(db).maskPii;
  const piiOf = masked ? piiColumns(batch.entity, batch.mapping_json) : new Map<string, PiiKind>();
  const total = (db.prepare('SELECT count(*) AS n FROM import_errors WHERE batch_id = ?').get(request.batchId) as { n: number }).n;
  return {
    title: request.title ?? '导入错误明细',
    columns: [
      { label: '行号', kind: 'integer' },
      { label: '列', kind: 'text' },
      { label: '值', kind: 'text' },
      { label: '问题', kind: 'text' },
    ],
    total,
    chunks: function* () {
      // Keyset on the (batch_id, row_number) index plus rowid: a batch can have 100,000 errors.
      const next = db.prepare('SELECT rowid AS id, row_number, column_name, value, message FROM import_errors WHERE batch_id = ? AND (row_number, rowid) > (?, ?) ORDER BY row_number, rowid LIMIT ?');
      let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
      for (;;) {
        const rows = next.all(request.batchId, after[0], after[1], EXPORT_CHUNK) as (ErrorRow & { id: number })[];
        if (rows.length === 0) return;
        yield rows.map((r) => errorCells(r, piiOf.get(r.column_name ?? '')));
        const last = rows[rows.length - 1]!;
        after = [last.row_number, last.id];
        if (rows.length < EXPORT_CHUNK) return;
      }
    },
    notes: [
      ['导入文件', batch.file_name],
      ['导入批次', String(request.batchId)],
      ['个人信息', maskNote(masked)],
    ],
    audit: { batchId: request.batchId, masked },
  };
}

/** Source headers of the batch that carried a PII field (a rejected ID number is still an ID number). */
function piiColumns(entityKey: string, mappingJson: string): Map<string, PiiKind> {
  const out = new Map<string, PiiKind>();
  if (!isEntityKey(entityKey)) return out;
  const fields = new Map(entityDef(entityKey).fields.map((f) => [f.key, f]));
  let columns: Record<string, string> = {};
  try {
    columns = (JSON.parse(mappingJson) as { columns?: Record<string, string> }).columns ?? {};
  } catch {
    // A mapping that does not parse maps nothing; labels below still catch the dictionary's own names.
  }
  for (const [header, key] of Object.entries(columns)) {
    const pii = fields.get(key)?.pii;
    if (pii) out.set(header, pii);
  }
  for (const f of fields.values()) if (f.pii) out.set(f.label, f.pii);
  return out;
}

function errorCells(row: ErrorRow, pii: PiiKind | undefined): Cell[] {
  if (!pii || row.value === null) return [row.row_number, row.column_name, row.value, row.message];
  const masked = maskValue(pii, row.value);
  // Messages quote the rejected value ("“…”无法识别"), so it is masked there too.
  return [row.row_number, row.column_name, masked, row.message.split(row.value).join(masked ?? '')];
}

