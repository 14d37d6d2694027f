import type { ImportPreview } from '../../../shared/api';
import type { EntityKey } from '../../../shared/dictionary';
import { missingRequiredFields, suggestMapping } from './mapping';
import { previewSource } from './source';
import type { OpenSourceOptions } from './source-types';

/** The import wizard's second step: the first rows as the file holds them, and a suggested mapping. */
export async function previewImport(options: OpenSourceOptions & { entity: EntityKey }): Promise<ImportPreview> {
  const { info, rows } = await previewSource(options, 100);
  const mapping = suggestMapping(options.entity, info.headers);
  return {
    fileName: info.fileName,
    fileBytes: info.fileBytes,
    format: info.format,
    encoding: info.encoding,
    delimiter: info.delimiter,
    sheets: info.sheets,
    sheet: info.sheet,
    headers: info.headers,
    rows,
    mapping,
    missingRequired: missingRequiredFields(options.entity, mapping),
  };
}
