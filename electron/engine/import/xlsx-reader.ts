/**
 * Streaming XLSX reader on exceljs's WorkbookReader.
 *
 * exceljs reads the zip front to back, and when a worksheet comes before sharedStrings.xml (as in files
 * Excel itself writes) it copies every worksheet to a temp file and parses them only at the end. So we
 * read the zip's central directory ourselves (it is at the end of the file and small) and hand exceljs a
 * stream of just the parts it needs, in the order it wants: relationships, workbook, styles, shared
 * strings, then the one sheet. That also gives us the sheet names without a first pass, the sheet's
 * `<dimension>` for progress, and precise messages for ZIP files that are not workbooks.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { EngineError } from '../errors';
import type { OpenSourceOptions, RowBatch, TabularSource } from './source-types';
import { baseName, openError } from './sniff';
import { DEFAULT_BATCH_ROWS } from './text-reader';
import { guardMessage, inflateGuarded, PartGuardError, PartScanner, SHARED_STRINGS_LIMITS, SHEET_LIMITS, SMALL_PART_LIMITS, type InflateLimits } from './zip-guard';

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

interface SheetRef {
  name: string;
  part: string;
  hidden: boolean;
}

interface XlsxPlan {
  file: string;
  fileName: string;
  fileBytes: number;
  entries: Map<string, ZipEntry>;
  sheets: SheetRef[];
  sheet: SheetRef;
  workbookPart: string;
  workbookRelsPart: string | null;
  stylesPart: string | null;
  sharedStringsPart: string | null;
  date1904: boolean;
  /** Last row of the sheet's `<dimension>`, 0 if the sheet does not say. */
  lastRow: number;
}

/** A header cell or data row as read from the sheet: cells by column, not yet padded. */
interface SheetRow {
  number: number;
  cells: string[];
}

const MAX_XML_PART = 64 << 20;
/** Excel stores at most this many characters in a cell; a longer one was not written by a spreadsheet. */
export const MAX_CELL_CHARS = 32_767;
/** A stored zip entry's size field holds at most this; larger parts are refused. */
const MAX_STORED_SIZE = 0xfffffffe;
/** If nobody reads the rows within this time after open, the half-read stream is closed. */
const IDLE_CLOSE_MS = 30_000;

export async function openXlsxSource(file: string, fileBytes: number, options: OpenSourceOptions): Promise<TabularSource> {
  const plan = await planXlsx(file, fileBytes, options.sheet);
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);

  // The first pass over shared strings can take seconds on a big workbook, so the stream opened to read
  // the header is kept for the first batches() call instead of being read again.
  let pending: AsyncGenerator<SheetRow> | null = sheetRows(plan);
  const first = await pending.next();
  if (first.done) {
    await pending.return(undefined);
    throw new EngineError('bad_input', `工作表“${plan.sheet.name}”是空的，没有表头也没有数据。请选择有数据的工作表`, `sheet part ${plan.sheet.part} has no non-empty row`);
  }
  const headers = trimHeader(first.value.cells);
  const headerRow = first.value.number;
  const idle = setTimeout(() => {
    const it = pending;
    pending = null;
    void it?.return(undefined);
  }, IDLE_CLOSE_MS);
  idle.unref();

  const take = async (): Promise<AsyncGenerator<SheetRow>> => {
    clearTimeout(idle);
    if (pending) {
      const it = pending;
      pending = null;
      return it;
    }
    const fresh = sheetRows(plan);
    await fresh.next(); // the header again
    return fresh;
  };

  return {
    format: 'xlsx',
    fileName: plan.fileName,
    fileBytes: plan.fileBytes,
    encoding: null,
    delimiter: null,
    sheets: plan.sheets.map((s) => s.name),
    sheet: plan.sheet.name,
    headers,
    progressTotal: plan.lastRow,
    batches: () => xlsxBatches(take, headers.length, headerRow, batchRows),
  };
}

async function* xlsxBatches(
  take: () => Promise<AsyncGenerator<SheetRow>>,
  width: number,
  headerRow: number,
  batchRows: number,
): AsyncGenerator<RowBatch> {
  const rows = await take();
  let batch: string[][] = [];
  let firstRow = 0;
  let nextRow = headerRow + 1;
  try {
    for await (const row of rows) {
      // A batch is numbered by its first row only, so it must not span rows the sheet skips.
      if (batch.length > 0 && (row.number !== nextRow || batch.length >= batchRows)) {
        yield { rows: batch, firstRow, progress: nextRow - 1 };
        batch = [];
      }
      if (batch.length === 0) firstRow = row.number;
      const cells = row.cells;
      while (cells.length < width) cells.push('');
      batch.push(cells);
      nextRow = row.number + 1;
    }
    if (batch.length > 0) yield { rows: batch, firstRow, progress: nextRow - 1 };
  } finally {
    await rows.return(undefined);
  }
}

/** Non-empty rows of the plan's sheet, as text. */
async function* sheetRows(plan: XlsxPlan): AsyncGenerator<SheetRow> {
  const input = Readable.from(zipSubset(plan), { objectMode: false });
  // exceljs pipes the input into its unzipper, and pipe() does not pass errors on: a guard that stops the
  // input would leave the reader waiting for bytes forever. Every wait races the input's failure instead.
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  input.on('error', (error) => fail(error));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    const worksheets = reader[Symbol.asyncIterator]();
    const sheet = await Promise.race([worksheets.next(), failed]);
    if (sheet.done) return;
    const rows = (sheet.value as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([rows.next(), failed]);
      if (next.done) break;
      const row = next.value;
      const cells: string[] = [];
      let any = false;
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        const text = cellText(cell.value, cell.numFmt, plan.date1904);
        if (text.length > MAX_CELL_CHARS) throw cellTooLong(plan, row.number, col, text.length);
        while (cells.length < col - 1) cells.push('');
        cells[col - 1] = text;
        if (text.length > 0) any = true;
      });
      if (any) yield { number: row.number, cells };
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    if (error instanceof PartGuardError) throw guardMessage(plan.fileName, error);
    throw new EngineError(
      'bad_input',
      `无法读取工作簿“${plan.fileName}”的工作表“${plan.sheet.name}”，文件可能已损坏。请在 Excel 中打开并另存为 .xlsx，或另存为 CSV UTF-8 后再导入`,
      error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    );
  } finally {
    input.destroy();
  }
}

function cellTooLong(plan: XlsxPlan, row: number, column: number, length: number): EngineError {
  return new EngineError(
    'bad_input',
    `工作簿“${plan.fileName}”第 ${row} 行第 ${column} 列有 ${length.toLocaleString('zh-CN')} 个字符，超过 Excel 单元格的上限（32,767 个字符），文件不是 Excel 正常保存的工作簿。请检查该单元格，或另存为 CSV UTF-8 后再导入`,
    `cell ${row}:${column} has ${length} chars`,
  );
}

/** Header cells trimmed; trailing empty cells (formatted but blank columns) dropped. */
function trimHeader(cells: string[]): string[] {
  const headers = cells.map((c) => c.trim());
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  return headers;
}

// ---------------------------------------------------------------------------------------------------
// Cell values to text

/** The text a cell shows, in the spellings the coercion layer parses. */
export function cellText(value: unknown, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text?: unknown }[]).map((r) => (typeof r?.text === 'string' ? r.text : '')).join('');
    if ('formula' in v || 'sharedFormula' in v || 'result' in v) {
      const result = v.result;
      // exceljs converts plain date cells to Date but leaves formula results as serial numbers.
      if (typeof result === 'number' && Number.isFinite(result) && isDateFormat(numFmt)) return formatDate(excelDate(result, date1904));
      if (typeof result === 'number' && Number.isNaN(result)) return '#ERROR!';
      if (result !== null && typeof result === 'object' && 'error' in result) return String((result as { error: unknown }).error);
      return cellText(result, undefined, date1904);
    }
    if ('text' in v) return cellText(v.text, undefined, date1904);
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

/** Excel shows 15 significant digits; the stored double may carry noise past them (1234.4999999999998). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '#ERROR!';
  const s = String(n);
  // Up to 15 chars means at most 15 significant digits: nothing to round (and no toPrecision cost).
  if (s.length <= 15 || Number.isInteger(n)) return s;
  return String(Number(n.toPrecision(15)));
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** exceljs builds dates from serials in UTC, so UTC fields are the wall-clock value Excel shows. */
export function formatDate(date: Date): string {
  const t = date.getTime();
  if (!Number.isFinite(t)) return '';
  const d = new Date(Math.round(t / 1000) * 1000);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  // A time-only cell (serial below 1) lands on Excel's day zero.
  if (y === 1899 && mo === 12 && day === 30) return time;
  const ymd = `${y}-${pad2(mo)}-${pad2(day)}`;
  return time === '00:00:00' ? ymd : `${ymd} ${time}`;
}

function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** Same test exceljs applies to plain cells: date/time letters outside quotes and brackets. */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhsb]/i.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

// ---------------------------------------------------------------------------------------------------
// The workbook's structure, from the zip's central directory

/**
 * What the central directory declares, checked before a byte is inflated: a part larger than its limit or
 * compressed beyond any real workbook's ratio is refused at once (the bytes are counted again as they
 * inflate, since a declaration can lie).
 */
function checkDeclaredSizes(fileName: string, entry: ZipEntry, limits: InflateLimits): void {
  const size = entry.uncompressedSize;
  if (size > limits.maxBytes || size > MAX_STORED_SIZE) throw guardMessage(fileName, new PartGuardError('too_large', `${entry.name} declares ${size} bytes`));
  if (size > limits.ratioGraceBytes && size > Math.max(1, entry.compressedSize) * limits.maxRatio) {
    throw guardMessage(fileName, new PartGuardError('ratio', `${entry.name} declares ${size} bytes from ${entry.compressedSize}`));
  }
}

async function planXlsx(file: string, fileBytes: number, wanted: string | undefined): Promise<XlsxPlan> {
  const fileName = baseName(file);
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw openError(file, error);
  }
  try {
    return await planOpenXlsx(handle, file, fileName, fileBytes, wanted);
  } catch (error) {
    // A mutated directory can send any read out of bounds; whatever breaks, the file is what is wrong.
    if (error instanceof EngineError) throw error;
    throw corruptZip(fileName, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  } finally {
    await handle.close();
  }
}

async function planOpenXlsx(handle: FileHandle, file: string, fileName: string, fileBytes: number, wanted: string | undefined): Promise<XlsxPlan> {
  const entries = await readCentralDirectory(handle, fileBytes, fileName);
  const find = entryFinder(entries);

  const rootRels = find('_rels/.rels');
  const officeDoc = rootRels ? relationships(await readText(handle, rootRels, fileName)).find((r) => r.type.endsWith('/officeDocument')) : undefined;
  const workbookEntry = find(officeDoc ? resolvePart('', officeDoc.target) : 'xl/workbook.xml') ?? find('xl/workbook.xml');
  if (!workbookEntry) throw notWorkbook(fileName, entries);
  const workbookPart = workbookEntry.name;
  const dir = workbookPart.slice(0, workbookPart.lastIndexOf('/') + 1);
  const relsEntry = find(`${dir}_rels/${workbookPart.slice(dir.length)}.rels`);
  const rels = relsEntry ? relationships(await readText(handle, relsEntry, fileName)) : [];
  const relById = new Map(rels.map((r) => [r.id, r]));

  const workbookXml = await readText(handle, workbookEntry, fileName);
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbookXml);
  const sheets: SheetRef[] = [];
  for (const tag of workbookXml.match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
    const attrs = attributes(tag);
    const rid = Object.entries(attrs).find(([k]) => /(^|:)id$/.test(k) && k !== 'sheetId')?.[1];
    const rel = rid ? relById.get(rid) : undefined;
    if (!rel || !rel.type.endsWith('/worksheet')) continue; // chart sheets hold no cells
    const part = resolvePart(dir, rel.target);
    if (!find(part)) continue;
    sheets.push({ name: attrs.name ?? part, part: find(part)!.name, hidden: attrs.state === 'hidden' || attrs.state === 'veryHidden' });
  }
  if (sheets.length === 0) {
    throw new EngineError('bad_input', `工作簿“${fileName}”里没有可导入的工作表。请在 Excel 中确认数据所在的工作表后另存为 .xlsx`, 'no worksheet parts');
  }

  let sheet: SheetRef | undefined;
  if (wanted !== undefined && wanted !== '') {
    sheet = sheets.find((s) => s.name === wanted) ?? sheets.find((s) => s.name.trim() === wanted.trim());
    if (!sheet) {
      throw new EngineError('bad_input', `工作簿中没有名为“${wanted}”的工作表，现有工作表：${sheets.map((s) => s.name).join('、')}`, `sheet ${wanted} not found`);
    }
  } else {
    // The first sheet the user sees in Excel: hidden sheets do not count.
    sheet = sheets.find((s) => !s.hidden) ?? sheets[0]!;
  }

  const byType = (suffix: string) => {
    const rel = rels.find((r) => r.type.endsWith(suffix));
    return rel ? (find(resolvePart(dir, rel.target))?.name ?? null) : null;
  };
  const stylesPart = byType('/styles') ?? find(`${dir}styles.xml`)?.name ?? null;
  const sharedStringsPart = byType('/sharedStrings') ?? find(`${dir}sharedStrings.xml`)?.name ?? null;

  for (const part of [relsEntry?.name ?? null, workbookPart, sheet.part, stylesPart, sharedStringsPart]) {
    const entry = part ? entries.get(part) : undefined;
    if (entry && entry.flags & 1) {
      throw new EngineError('bad_input', `工作簿“${fileName}”受密码保护。请在 Excel 中取消密码后另存为 .xlsx，再导入`, `encrypted part ${part}`);
    }
    if (entry && entry.method !== 0 && entry.method !== 8) {
      throw new EngineError('bad_input', `工作簿“${fileName}”使用了不支持的压缩方式。请在 Excel 中打开并另存为 .xlsx 后再导入`, `compression method ${entry.method} in ${part}`);
    }
    if (entry) checkDeclaredSizes(fileName, entry, part === sharedStringsPart ? SHARED_STRINGS_LIMITS : part === sheet.part ? SHEET_LIMITS : SMALL_PART_LIMITS);
  }

  const lastRow = await dimensionLastRow(handle, entries.get(sheet.part)!);
  return {
    file,
    fileName,
    fileBytes,
    entries,
    sheets,
    sheet,
    workbookPart,
    workbookRelsPart: relsEntry?.name ?? null,
    stylesPart,
    sharedStringsPart,
    date1904,
    lastRow,
  };
}

async function readCentralDirectory(handle: FileHandle, size: number, fileName: string): Promise<Map<string, ZipEntry>> {
  const tailLength = Math.min(size, 65_557);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corruptZip(fileName, 'no end of central directory record');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw corruptZip(fileName, 'zip64 locator missing');
    const zip64 = await readAt(handle, Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (zip64.readUInt32LE(0) !== 0x06064b50) throw corruptZip(fileName, 'zip64 end record missing');
    count = Number(zip64.readBigUInt64LE(32));
    cdSize = Number(zip64.readBigUInt64LE(40));
    cdOffset = Number(zip64.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size || cdSize > 64 << 20) throw corruptZip(fileName, `central directory ${cdOffset}+${cdSize} outside file of ${size}`);
  const cd = await readAt(handle, cdOffset, cdSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count && p + 46 <= cd.length; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) throw corruptZip(fileName, `bad central directory entry at ${cdOffset + p}`);
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength).replace(/\\/g, '/');
    const entry: ZipEntry = {
      name,
      flags,
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      uncompressedSize: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
    };
    readZip64Extra(entry, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    if (entry.localOffset + 30 + entry.compressedSize > size) throw corruptZip(fileName, `${name}: ${entry.compressedSize} bytes at ${entry.localOffset} run past the end of the file (${size})`);
    entries.set(name, entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readZip64Extra(entry: ZipEntry, extra: Buffer): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const take = () => {
        const v = q + 8 <= p + 4 + size ? Number(extra.readBigUInt64LE(q)) : 0;
        q += 8;
        return v;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localOffset === 0xffffffff) entry.localOffset = take();
      return;
    }
    p += 4 + size;
  }
}

function entryFinder(entries: Map<string, ZipEntry>): (name: string) => ZipEntry | undefined {
  const lower = new Map<string, ZipEntry>();
  for (const [name, entry] of entries) lower.set(name.toLowerCase(), entry);
  return (name) => entries.get(name) ?? lower.get(name.toLowerCase());
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/** Where an entry's compressed bytes start: the local header's own name and extra lengths may differ from the directory's. */
async function dataStart(handle: FileHandle, entry: ZipEntry): Promise<number> {
  const header = await readAt(handle, entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) throw new Error(`bad local header for ${entry.name} at ${entry.localOffset}`);
  return entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

async function readText(handle: FileHandle, entry: ZipEntry, fileName: string): Promise<string> {
  try {
    const start = await dataStart(handle, entry);
    const raw = await readAt(handle, start, Math.min(entry.compressedSize, MAX_XML_PART));
    const bytes = entry.method === 8 ? zlib.inflateRawSync(raw, { maxOutputLength: MAX_XML_PART }) : raw;
    return bytes.toString('utf8');
  } catch (error) {
    throw corruptZip(fileName, `${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The sheet's `<dimension ref="A1:H5001"/>` sits right at the start of its XML, so a few KB suffice. */
async function dimensionLastRow(handle: FileHandle, entry: ZipEntry): Promise<number> {
  try {
    const start = await dataStart(handle, entry);
    const raw = await readAt(handle, start, Math.min(entry.compressedSize, 16 << 10));
    const head =
      entry.method === 8
        ? zlib.inflateRawSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 256 << 10 })
        : raw;
    const match = /<(?:\w+:)?dimension\s+ref\s*=\s*["'][A-Z]*\d*:?[A-Z]*(\d+)["']/.exec(head.toString('utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // progress then counts rows without a total
  }
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function relationships(xml: string): Relationship[] {
  const out: Relationship[] = [];
  for (const tag of xml.match(/<(?:\w+:)?Relationship\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    if (a.Id && a.Target && a.TargetMode !== 'External') out.push({ id: a.Id, type: a.Type ?? '', target: a.Target });
  }
  return out;
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]!] = xmlDecode(m[2] ?? m[3] ?? '');
  return out;
}

function xmlDecode(s: string): string {
  return s.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (_, hex: string, dec: string, name: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(parseInt(dec, 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name]!;
  });
}

/** A relationship target relative to the folder of its source part, or absolute from the package root. */
function resolvePart(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : dir + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

// ---------------------------------------------------------------------------------------------------
// The zip exceljs reads: the needed parts, renamed to the paths it expects, in the order it needs them

async function* zipSubset(plan: XlsxPlan): AsyncGenerator<Buffer> {
  const parts: [string | null, string, InflateLimits][] = [
    [plan.workbookRelsPart, 'xl/_rels/workbook.xml.rels', SMALL_PART_LIMITS],
    [plan.workbookPart, 'xl/workbook.xml', SMALL_PART_LIMITS],
    [plan.stylesPart, 'xl/styles.xml', SMALL_PART_LIMITS],
    [plan.sharedStringsPart, 'xl/sharedStrings.xml', SHARED_STRINGS_LIMITS],
    [plan.sheet.part, 'xl/worksheets/sheet1.xml', SHEET_LIMITS],
  ];
  const handle = await open(plan.file, 'r');
  try {
    for (const [source, name, limits] of parts) {
      const entry = source ? plan.entries.get(source) : undefined;
      if (!entry) {
        // exceljs holds worksheets back until it has seen both of these; empty ones let it stream.
        if (name === 'xl/sharedStrings.xml') yield storedEntry(name, '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');
        if (name === 'xl/_rels/workbook.xml.rels') yield storedEntry(name, '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>');
        continue;
      }
      // Inflated here, under the guard, and passed on stored: exceljs then only copies the bytes.
      yield localHeader(name, 0, entry.crc, entry.uncompressedSize, entry.uncompressedSize);
      const scanner = new PartScanner(entry.name, limits, entry.uncompressedSize);
      yield* inflateGuarded(compressedChunks(handle, entry), entry.method, scanner, entry.uncompressedSize);
    }
  } finally {
    await handle.close();
  }
}

async function* compressedChunks(handle: FileHandle, entry: ZipEntry): AsyncGenerator<Buffer> {
  let position = await dataStart(handle, entry);
  let left = entry.compressedSize;
  while (left > 0) {
    const chunk = await readAt(handle, position, Math.min(left, 256 << 10));
    if (chunk.length === 0) throw new PartGuardError('corrupt', `${entry.name} is truncated`);
    position += chunk.length;
    left -= chunk.length;
    yield chunk;
  }
}

/** A local file header with sizes filled in (no data descriptor), so the reader needs no look-ahead. */
function localHeader(name: string, method: number, crc: number, compressedSize: number, uncompressedSize: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x800, 6);
  h.writeUInt16LE(method, 8);
  h.writeUInt32LE(crc >>> 0, 14);
  h.writeUInt32LE(Math.min(compressedSize, 0xfffffffe), 18);
  h.writeUInt32LE(Math.min(uncompressedSize, 0xfffffffe), 22);
  h.writeUInt16LE(nameBytes.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, nameBytes]);
}

function storedEntry(name: string, text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  return Buffer.concat([localHeader(name, 0, zlib.crc32(data), data.length, data.length), data]);
}

// ---------------------------------------------------------------------------------------------------
// Errors

function corruptZip(fileName: string, detail: string): EngineError {
  return new EngineError(
    'bad_input',
    `文件“${fileName}”看起来是 Excel 工作簿或 ZIP 压缩包，但已损坏或不完整（例如没有下载完）。请重新导出，或在 Excel 中打开后另存为 .xlsx 再导入`,
    detail,
  );
}

function notWorkbook(fileName: string, entries: Map<string, ZipEntry>): EngineError {
  const names = [...entries.keys()];
  const has = (p: string) => names.some((n) => n.toLowerCase() === p);
  const detail = `zip entries: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`;
  if (has('xl/workbook.bin')) {
    return new EngineError('bad_input', `文件“${fileName}”是 Excel 二进制工作簿 (.xlsb)，无法直接导入。请在 Excel 中另存为 Excel 工作簿 (.xlsx) 或 CSV UTF-8 后再导入`, detail);
  }
  if (has('content.xml') && has('mimetype')) {
    return new EngineError('bad_input', `文件“${fileName}”是 ODS 表格（WPS/LibreOffice 格式），无法直接导入。请另存为 Excel 工作簿 (.xlsx) 或 CSV UTF-8 后再导入`, detail);
  }
  if (has('word/document.xml') || has('ppt/presentation.xml')) {
    return new EngineError('bad_input', `文件“${fileName}”是 Word 或 PowerPoint 文档，不是表格。请选择 Excel 工作簿 (.xlsx) 或 CSV 文件`, detail);
  }
  const tables = names.filter((n) => /\.(csv|tsv|txt|xlsx)$/i.test(n));
  if (tables.length > 0) {
    return new EngineError('bad_input', `文件“${fileName}”是 ZIP 压缩包，不是 Excel 工作簿。请先解压，再导入其中的“${tables[0]}”`, detail);
  }
  return new EngineError('bad_input', `文件“${fileName}”是 ZIP 压缩包，不是 Excel 工作簿 (.xlsx)。请选择 CSV 或 .xlsx 文件，或在 Excel 中另存为 .xlsx 后再导入`, detail);
}

export function oleError(fileName: string): EngineError {
  return new EngineError(
    'bad_input',
    `文件“${fileName}”是旧版 Excel 97-2003 工作簿 (.xls) 或带密码保护的 Excel 文件，无法直接导入。请在 Excel 中打开（如有密码请先取消），另存为 Excel 工作簿 (.xlsx) 或 CSV UTF-8 后再导入`,
    'OLE2 compound file signature',
  );
}
