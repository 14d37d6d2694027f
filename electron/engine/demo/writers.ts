import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { splitDay } from './calendar';

export type DemoEncoding = 'utf-8' | 'gb18030';

/**
 * A CSV file written as a bank system writes it: a header line, CRLF line ends, UTF-8 with a BOM (what
 * Excel writes and expects) or GB18030 (what older core systems still emit). Each line is copied into a
 * reusable 4 MB byte buffer as soon as it is made, so the line strings die young and cost the garbage
 * collector next to nothing (holding the pending text as strings made GC the biggest cost), and memory
 * stays bounded whatever the row count. GB18030 re-encodes each full buffer in one iconv call.
 */
export class CsvWriter {
  private fd: number;
  private readonly buffer = Buffer.allocUnsafe(1 << 22);
  private used = 0;
  /** Data rows written so far (the header excluded). The next row is spreadsheet row `rows + 2`. */
  rows = 0;

  constructor(
    readonly path: string,
    private readonly encoding: DemoEncoding,
    headers: readonly string[],
  ) {
    this.fd = openSync(path, 'w');
    if (encoding === 'utf-8') writeSync(this.fd, Buffer.from([0xef, 0xbb, 0xbf]));
    this.append(headers.join(','));
  }

  /** Appends lines (without line ends). */
  writeLines(lines: readonly string[]): void {
    for (const line of lines) this.append(line);
    this.rows += lines.length;
  }

  private append(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + line.length * 3 + 2 > this.buffer.length) this.flush();
    this.used += this.buffer.write(line, this.used, 'utf8');
    this.buffer[this.used++] = 13;
    this.buffer[this.used++] = 10;
  }

  private flush(): void {
    if (this.used === 0) return;
    const bytes = this.buffer.subarray(0, this.used);
    this.used = 0;
    if (this.encoding === 'utf-8') writeSync(this.fd, bytes);
    else writeSync(this.fd, iconv.encode(bytes.toString('utf8'), 'gb18030'));
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** Closes without flushing, after a failure or a cancellation. */
  abandon(): void {
    if (this.fd < 0) return;
    this.used = 0;
    closeSync(this.fd);
    this.fd = -1;
  }
}

export type SheetCell = string | number | null;

/**
 * A one-sheet workbook with a styled header row, as a person keeps a reference table in Excel. The
 * document dates and every zip entry's timestamp are pinned to `exportDay`, so one seed writes the same
 * bytes on every run (exceljs stamps the current time in both places otherwise).
 */
export async function writeXlsx(path: string, sheetName: string, headers: readonly string[], rows: readonly SheetCell[][], exportDay: number): Promise<void> {
  const [y, m, d] = splitDay(exportDay);
  const stamp = new Date(Date.UTC(y, m - 1, d, 9, 0, 0));
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '示范支行';
  workbook.lastModifiedBy = '示范支行';
  workbook.created = stamp;
  workbook.modified = stamp;
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...headers]);
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  for (const row of rows) sheet.addRow(row.map((cell) => (cell === null ? null : cell)));
  headers.forEach((h, i) => {
    const widest = Math.max(h.length * 2, ...rows.map((r) => String(r[i] ?? '').length * 1.6));
    sheet.getColumn(i + 1).width = Math.min(40, Math.max(10, Math.ceil(widest) + 2));
  });
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  pinZipTimestamps(buffer, y, m, d);
  writeFileSync(path, buffer);
}

/**
 * Rewrites the DOS modification time and date of every entry in a zip archive, in both the local headers
 * and the central directory. The layout is fixed by the zip format (APPNOTE 4.3.7 and 4.3.12).
 */
export function pinZipTimestamps(zip: Buffer, year: number, month: number, day: number): void {
  const dosDate = ((year - 1980) << 9) | (month << 5) | day;
  const dosTime = 9 << 11;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('XLSX 输出不是有效的 zip 文件');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let k = 0; k < entries; k++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('XLSX 输出的 zip 目录已损坏');
    zip.writeUInt16LE(dosTime, at + 12);
    zip.writeUInt16LE(dosDate, at + 14);
    const local = zip.readUInt32LE(at + 42);
    if (zip.readUInt32LE(local) === 0x04034b50) {
      zip.writeUInt16LE(dosTime, local + 10);
      zip.writeUInt16LE(dosDate, local + 12);
    }
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
}
