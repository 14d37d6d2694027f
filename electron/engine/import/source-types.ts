/** What the importer reads from: a tabular source, text or spreadsheet, streamed in batches of rows. */

export type SourceFormat = 'csv' | 'xlsx';

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export type Delimiter = ',' | '\t' | ';' | '|';

export interface RowBatch {
  /** Cells as text, one array per record. Quoted fields are unquoted; embedded newlines are kept. */
  rows: string[][];
  /** Spreadsheet row number of rows[0] (the header is row 1, so the first data row is 2). */
  firstRow: number;
  /** Bytes of the file consumed so far, for progress (XLSX: rows read so far, with `total` in rows). */
  progress: number;
}

export interface SourceInfo {
  format: SourceFormat;
  fileName: string;
  fileBytes: number;
  /** Text sources only. */
  encoding: TextEncoding | null;
  delimiter: Delimiter | null;
  /** XLSX only: every sheet name, and the one being read. */
  sheets: string[];
  sheet: string | null;
  /** Header cells, trimmed, in file order. */
  headers: string[];
  /** The unit `RowBatch.progress` counts in and its total, e.g. bytes and the file size. */
  progressTotal: number;
}

export interface TabularSource extends SourceInfo {
  /** Streams the data rows (after the header) in batches. Memory stays bounded whatever the file size. */
  batches(): AsyncGenerator<RowBatch>;
  /**
   * Text sources: the row of a last record the file ended in without a line break, known once the batch
   * holding it is yielded (null before, and when the file ends with a line break).
   */
  unterminatedRow?(): number | null;
}

export interface OpenSourceOptions {
  file: string;
  sheet?: string | undefined;
  encoding?: TextEncoding | undefined;
  delimiter?: Delimiter | undefined;
  /** Rows per batch; the importer's unit of work between cancellation checks. */
  batchRows?: number;
}
