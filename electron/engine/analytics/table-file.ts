/**
 * A whole CSV/TSV or XLSX file as a text table, for ad-hoc models (`forest evaluate`). Reading goes through
 * the importer's readers (import/source.ts): the same encoding and delimiter detection, quoting rules and
 * XLSX cell formatting as a data import, and the same Chinese messages when a file cannot be read.
 */
import { EngineError } from '../errors';
import { openSource } from '../import/source';
import type { OpenSourceOptions } from '../import/source-types';

export interface TextTable {
  fileName: string;
  header: string[];
  rows: string[][];
  /** Text files: the detected encoding and delimiter; XLSX: the sheet read. */
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
}

export async function readTableFile(options: OpenSourceOptions, onProgress?: (done: number, total: number) => void): Promise<TextTable> {
  const source = await openSource(options);
  const rows: string[][] = [];
  const width = source.headers.length;
  for await (const batch of source.batches()) {
    batch.rows.forEach((row, i) => {
      // Short rows (trailing empty cells left out by the writer) are padded: the encoder wants a rectangle.
      if (row.length < width) for (let c = row.length; c < width; c++) row.push('');
      if (row.length > width) {
        if (row.slice(width).some((cell) => cell.trim() !== '')) {
          throw new EngineError('bad_input', `${source.fileName} 第 ${batch.firstRow + i} 行有 ${row.length} 个单元格，而表头只有 ${width} 列。请检查分隔符和引号是否正确`);
        }
        row.length = width;
      }
      rows.push(row);
    });
    onProgress?.(batch.progress, source.progressTotal);
  }
  return { fileName: source.fileName, header: source.headers, rows, encoding: source.encoding, delimiter: source.delimiter, sheet: source.sheet };
}
