import type { ImportPreview } from '../../../shared/api';
import { entity as entityDef, type EntityKey, type PiiKind } from '../../../shared/dictionary';
import { maskValue } from '../../../shared/masking';
import { cleanCell } from '../../../shared/values';
import { missingRequiredFields, normaliseHeader, suggestMapping } from './mapping';
import { previewSource } from './source';
import type { OpenSourceOptions } from './source-types';

export interface PreviewOptions {
  /** Mask personal information (settings.maskPii); on when no workspace is open. */
  maskPii: boolean;
}

/**
 * The import wizard's second step: the first rows as the file holds them, and a suggested mapping. With
 * masking on (the default), columns that hold names, mobile numbers or ID numbers come masked, like the rest
 * of the app (issue #14: the preview showed full names while the sidebar said "敏感信息已脱敏").
 */
export async function previewImport(options: OpenSourceOptions & { entity: EntityKey }, preview: PreviewOptions = { maskPii: true }): Promise<ImportPreview> {
  const { info, rows } = await previewSource(options, 100);
  const mapping = suggestMapping(options.entity, info.headers);
  const pii = preview.maskPii ? piiColumns(options.entity, info.headers, mapping.columns, rows) : new Map<number, PiiKind>();
  const shown = pii.size === 0 ? rows : rows.map((row) => row.map((cell, i) => maskCell(pii.get(i), cell)));
  return {
    fileName: info.fileName,
    fileBytes: info.fileBytes,
    format: info.format,
    encoding: info.encoding,
    delimiter: info.delimiter,
    sheets: info.sheets,
    sheet: info.sheet,
    headers: info.headers,
    rows: shown,
    mapping,
    missingRequired: missingRequiredFields(options.entity, mapping),
    maskedColumns: info.headers.filter((_, i) => pii.has(i)),
  };
}

function maskCell(kind: PiiKind | undefined, cell: string): string {
  if (!kind) return cell;
  const text = cleanCell(cell);
  return text === '' ? cell : (maskValue(kind, text) ?? '');
}

/** Customers' PII header names, without the bare "name" other entities use for products or communities. */
const PII_HEADERS: ReadonlyMap<string, PiiKind> = new Map(
  entityDef('customers')
    .fields.filter((f) => f.pii)
    .flatMap((f) => [f.label, ...f.synonyms].filter((n) => n !== 'name').map((n) => [normaliseHeader(n).key, f.pii!] as const)),
);

const MOBILE = /^(?:\+?86[- ]?)?1[3-9]\d{9}$/;
const ID_NUMBER = /^\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]$/;

/**
 * Which columns hold personal information: the ones the mapping gives a PII field, the ones headed like one,
 * and the ones whose cells look like mobile or ID numbers whatever the header says.
 */
function piiColumns(entityKey: EntityKey, headers: readonly string[], columns: Record<string, string>, rows: readonly string[][]): Map<number, PiiKind> {
  const fields = new Map(entityDef(entityKey).fields.map((f) => [f.key, f]));
  const out = new Map<number, PiiKind>();
  headers.forEach((header, i) => {
    const mapped = columns[header] !== undefined ? fields.get(columns[header]!)?.pii : undefined;
    const kind = mapped ?? PII_HEADERS.get(normaliseHeader(header).key) ?? shapeOf(rows, i);
    if (kind) out.set(i, kind);
  });
  return out;
}

function shapeOf(rows: readonly string[][], column: number): PiiKind | undefined {
  let cells = 0;
  let mobiles = 0;
  let ids = 0;
  for (const row of rows) {
    const text = cleanCell(row[column] ?? '');
    if (text === '') continue;
    cells++;
    if (MOBILE.test(text)) mobiles++;
    else if (ID_NUMBER.test(text)) ids++;
  }
  if (cells === 0) return undefined;
  if (mobiles / cells >= 0.5) return 'mobile';
  if (ids / cells >= 0.5) return 'id_number';
  return undefined;
}
