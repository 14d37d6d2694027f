/**
 * CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the ANSI code page and
 * Chinese turns to mojibake), CRLF line ends, RFC 4180 quoting, and every text cell neutralised against
 * formula injection before it is quoted.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { neutraliseFormula } from '../../../shared/masking';
import type { Cell, SheetColumn, SheetWriter } from './sheet';

const BOM = '\uFEFF';
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = neutraliseFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export async function openCsvWriter(path: string, columns: readonly SheetColumn[]): Promise<SheetWriter> {
  const stream: WriteStream = createWriteStream(path, { flags: 'wx' });
  await once(stream, 'open');
  const put = async (text: string) => {
    if (!stream.write(text, 'utf8')) await once(stream, 'drain');
  };
  await put(BOM + csvLine(columns.map((c) => c.label)));
  const close = () =>
    new Promise<void>((resolve, reject) => {
      stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  return {
    write: async (rows) => {
      let text = '';
      for (const row of rows) text += csvLine(row);
      await put(text);
    },
    finish: async () => close(),
    abort: async () => {
      await close().catch(() => undefined);
    },
  };
}
