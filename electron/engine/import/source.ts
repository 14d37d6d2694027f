/**
 * The importer's entry to a file: picks the reader by the file's first bytes (users rename files, and
 * Excel saves "Unicode text" as .txt), reads the header, and streams the rows in batches.
 */
import type { OpenSourceOptions, SourceInfo, TabularSource } from './source-types';
import { baseName, detectMagic, readSample } from './sniff';
import { emptyFile, openTextSource, planText } from './text-reader';
import { oleError, openXlsxSource } from './xlsx-reader';

export type { OpenSourceOptions, SourceInfo, TabularSource } from './source-types';

/**
 * Opens a CSV/TSV or XLSX file and reads its header. Throws EngineError('bad_input') with a message that
 * says what to do when the file cannot be read. A file with a header and no rows opens fine (zero batches).
 */
export async function openSource(options: OpenSourceOptions): Promise<TabularSource> {
  const sample = await readSample(options.file);
  const fileName = baseName(options.file);
  if (sample.fileBytes === 0) throw emptyFile(fileName);
  switch (detectMagic(sample.bytes)) {
    case 'zip':
      return openXlsxSource(options.file, sample.fileBytes, options);
    case 'ole':
      throw oleError(fileName);
    case 'text':
      return openTextSource(planText(options.file, sample, options), options);
  }
}

/** The header and the first rows, for the import wizard. Reads only the start of the file. */
export async function previewSource(options: OpenSourceOptions, maxRows = 100): Promise<{ info: SourceInfo; rows: string[][] }> {
  const limit = Math.max(0, Math.floor(maxRows));
  const source = await openSource({ ...options, batchRows: Math.max(1, Math.min(limit, options.batchRows ?? limit)) });
  const rows: string[][] = [];
  const batches = source.batches();
  try {
    while (rows.length < limit) {
      const next = await batches.next();
      if (next.done) break;
      for (const row of next.value.rows) {
        if (rows.length >= limit) break;
        rows.push(row);
      }
    }
  } finally {
    // Closes the file stream: the rest of a 300 MB file is never read.
    await batches.return(undefined);
  }
  const { batches: _unused, ...info } = source;
  void _unused;
  return { info, rows };
}
