/** A table the renderer already holds (a chart's data), exported as given. */
import { EngineError } from '../errors';
import { EXPORT_CHUNK, type ExportRequest, type ExportSource } from './export-source';
import type { CellKind } from './sheet';

export function rowsSource(request: ExportRequest): ExportSource {
  const columns = request.columns ?? [];
  const rows = request.rows ?? [];
  if (columns.length === 0) throw new EngineError('bad_input', '没有可导出的列，请先选择要导出的数据');
  const kinds: CellKind[] = columns.map((c) => {
    const first = rows.find((r) => r[c.key] !== null && r[c.key] !== undefined)?.[c.key];
    return typeof first === 'number' ? 'number' : 'text';
  });
  return {
    title: request.title ?? '数据表',
    columns: columns.map((c, i) => ({ label: c.label, kind: kinds[i]! })),
    total: rows.length,
    chunks: function* () {
      for (let i = 0; i < rows.length; i += EXPORT_CHUNK) {
        yield rows.slice(i, i + EXPORT_CHUNK).map((r) => columns.map((c) => (Object.prototype.hasOwnProperty.call(r, c.key) ? (r[c.key] ?? null) : null)));
      }
    },
    notes: [['来源', '界面中的数据表']],
    audit: { columns: columns.length, title: request.title ?? null },
  };
}
