/**
 * Streaming CSV/TSV reader: bytes -> text (TextDecoder, fatal) -> records (string[][]) in batches.
 *
 * Speed matters here: the whole importer must stay within 1.5x of sqlite3's `.import`. Measured on a
 * 5M-row transactions file, a charCodeAt state machine costs ~1.3x the time of slicing on indexOf, and
 * csv-parse ~6x this reader, so records without a quote take an indexOf/slice fast path on the decoded
 * chunk and only records that contain `"` go through the RFC 4180 parser.
 */
import { createReadStream } from 'node:fs';
import { isAscii } from 'node:buffer';
import { EngineError } from '../errors';
import type { Delimiter, OpenSourceOptions, RowBatch, TabularSource, TextEncoding } from './source-types';
import {
  baseName,
  decodesAs,
  detectBom,
  detectLineBreak,
  ENCODING_CHOICE,
  ENCODING_LABEL,
  guessEncoding,
  openError,
  sniffDelimiter,
  type FileSample,
} from './sniff';

/** A single field above this many chars is an unclosed quote or not a CSV; we stop instead of buffering it. */
export const FIELD_LIMIT = 1 << 20;
/** Bound on one record (all fields), so a file without line breaks cannot exhaust memory either. */
export const RECORD_LIMIT = 16 << 20;
export const DEFAULT_BATCH_ROWS = 5000;
const READ_CHUNK = 1 << 20;

interface DraftBatch {
  rows: string[][];
  firstRow: number;
}

/**
 * Splits decoded text into records. Text arrives in arbitrary pieces; an incomplete last record is kept
 * and completed by the next piece. Rows are numbered like a spreadsheet would show the file: each record
 * is one row even with embedded line breaks, and a skipped blank line still takes a row number.
 *
 * Parsing is pulled batch by batch (`next()`), not a whole piece at a time: rows that wait for the rest of
 * a 1 MB piece survive young-generation GCs and get promoted, which measured twice as slow end to end.
 */
export class RecordParser {
  header: string[] | null = null;
  /** Spreadsheet row number of the record being read. */
  row = 1;
  /** Row of a last record the text ended in without a line break (a file cut short ends like that). */
  unterminated: number | null = null;

  private carry = '';
  private batch: string[][] = [];
  private batchFirst = 0;
  /** Completed batches. A batch never spans a skipped row, so `firstRow + i` is each row's number. */
  private readonly ready: DraftBatch[] = [];
  private readonly delimCode: number;
  private readonly nlCode: number;

  /** The text being parsed, the position in it, and the next delimiter and quote at or after it. */
  private s: string | null = null;
  private pos = 0;
  private d = 0;
  private q = 0;
  private width = 1;
  /** After a short head (carried record + first line), the rest of the piece. */
  private after: { carried: string; text: string; start: number } | null = null;
  private final = false;
  private ended = false;

  constructor(
    private readonly delim: Delimiter,
    private readonly nl: '\n' | '\r',
    private readonly batchRows: number,
    /** Stop after the header (opening a source only needs the start). */
    private readonly headerOnly = false,
  ) {
    this.delimCode = delim.charCodeAt(0);
    this.nlCode = nl.charCodeAt(0);
  }

  /** Adds text; call `next()` until it returns null before feeding more. */
  feed(text: string): void {
    const carried = this.carry;
    this.carry = '';
    if (carried.length === 0) return this.load(text, 0);
    // Complete the carried record with the piece's first line only, so the common case (a record cut by
    // the chunk boundary) costs a short concatenation instead of copying the whole piece. The carried
    // record either ends at that line break or is still open in a quoted field; it cannot end earlier.
    const firstNl = text.indexOf(this.nl);
    if (firstNl < 0) return this.load(carried + text, 0);
    this.after = { carried, text, start: firstNl + 1 };
    this.load(carried + text.slice(0, firstNl + 1), 0);
  }

  /** End of input (after the last feed was drained): the last record may lack a line break. */
  end(): void {
    this.final = true;
    const rest = this.carry;
    this.carry = '';
    if (rest.length > 0) this.load(rest, 0);
  }

  /** The next complete batch, or null when the input fed so far is used up. */
  next(): DraftBatch | null {
    for (;;) {
      if (this.ready.length > 0) return this.ready.shift()!;
      if (this.headerOnly && this.header !== null) return null;
      if (this.s === null) {
        if (this.final && !this.ended) {
          this.ended = true;
          this.closeBatch();
          continue;
        }
        return null;
      }
      this.parseSome();
      if (this.s === null && this.after !== null) {
        const a = this.after;
        this.after = null;
        if (this.carry.length === 0) {
          this.load(a.text, a.start);
        } else {
          this.carry = '';
          this.load(a.carried + a.text, 0);
        }
      }
    }
  }

  private load(s: string, start: number): void {
    this.s = s;
    this.pos = start;
    const d = s.indexOf(this.delim, start);
    this.d = d < 0 ? s.length : d;
    const q = s.indexOf('"', start);
    this.q = q < 0 ? s.length : q;
  }

  /** Parses records until a batch is complete or the text is used up (keeping an open record in `carry`). */
  private parseSome(): void {
    const s = this.s!;
    const len = s.length;
    const D = this.delim;
    const NL = this.nl;
    const final = this.final;
    const crlf = this.nlCode === 10;
    let pos = this.pos;
    let d = this.d;
    let q = this.q;
    let width = this.width;
    while (pos < len) {
      if (this.ready.length > 0 || (this.headerOnly && this.header !== null)) {
        this.pos = pos;
        this.d = d;
        this.q = q;
        this.width = width;
        return;
      }
      let nl = s.indexOf(NL, pos);
      if (nl < 0) {
        if (!final) break;
        nl = len;
        this.unterminated = this.row;
      }
      if (q < nl) {
        const next = this.parseQuoted(s, pos, final);
        if (next < 0) break;
        pos = next;
        d = s.indexOf(D, pos);
        if (d < 0) d = len;
        q = s.indexOf('"', pos);
        if (q < 0) q = len;
        continue;
      }
      let end = nl;
      if (crlf && end > pos && s.charCodeAt(end - 1) === 13) end--;
      if (end - pos > FIELD_LIMIT) this.checkUnquotedFields(s, pos, end);
      // Presized to the last record's width: most records have it, and growing by push costs ~15%.
      const row: string[] = new Array<string>(width);
      let k = 0;
      let p = pos;
      while (d < end) {
        row[k++] = s.slice(p, d);
        p = d + 1;
        d = s.indexOf(D, p);
        if (d < 0) d = len;
      }
      row[k++] = s.slice(p, end);
      if (k !== width) {
        row.length = k;
        width = k;
      }
      // Only delimiters (",,,,"), as Excel writes for formatted but empty rows, is as blank as an empty line.
      if (k - 1 === end - pos) this.blank();
      else this.record(row);
      pos = nl + 1;
    }
    this.s = null;
    this.width = width;
    if (pos < len) {
      this.carry = s.slice(pos);
      this.checkCarry();
    }
  }

  /** RFC 4180 for one record with quotes. Returns the offset after it, or -1 if the text ends inside it. */
  private parseQuoted(s: string, pos: number, final: boolean): number {
    const len = s.length;
    const dc = this.delimCode;
    const nlc = this.nlCode;
    const crlf = nlc === 10;
    const row: string[] = [];
    let p = pos;
    for (;;) {
      let value: string;
      if (p < len && s.charCodeAt(p) === 34) {
        value = '';
        let i = p + 1;
        for (;;) {
          const qi = s.indexOf('"', i);
          if (qi < 0 || (qi + 1 >= len && !final)) {
            if (qi < 0 && final) {
              // A quote left open by the end of the file on the last line swallowed no other record: the
              // file was cut there. Its cells so far go on as a short record, for the importer to report.
              if (s.indexOf(this.nl, pos) >= 0) throw this.unclosedQuote(row.length + 1);
              row.push(value + s.slice(i));
              this.unterminated = this.row;
              this.record(row);
              return len;
            }
            if (len - p > FIELD_LIMIT) throw this.fieldTooLarge(row.length + 1);
            return this.incomplete(s, pos);
          }
          if (qi - p > FIELD_LIMIT) throw this.fieldTooLarge(row.length + 1);
          if (qi + 1 < len && s.charCodeAt(qi + 1) === 34) {
            value += s.slice(i, qi + 1);
            i = qi + 2;
            continue;
          }
          value += s.slice(i, qi);
          i = qi + 1;
          break;
        }
        p = i;
        // Text after the closing quote ("abc"def) is kept, the way Excel reads it, rather than rejected.
        if (p < len) {
          const c = s.charCodeAt(p);
          if (c !== dc && c !== nlc && !(crlf && c === 13 && p + 1 < len && s.charCodeAt(p + 1) === 10)) {
            const stop = this.fieldEnd(s, p);
            if (stop < 0 && !final) return this.incomplete(s, pos);
            const e = stop < 0 ? len : stop;
            value += s.slice(p, crlf && e > p && e < len && s.charCodeAt(e) === 10 && s.charCodeAt(e - 1) === 13 ? e - 1 : e);
            p = e;
          }
        }
      } else {
        const stop = this.fieldEnd(s, p);
        if (stop < 0) {
          if (!final) {
            if (len - p > FIELD_LIMIT) throw this.fieldTooLarge(row.length + 1);
            return this.incomplete(s, pos);
          }
          value = s.slice(p, len);
          p = len;
        } else {
          let e = stop;
          if (crlf && e > p && s.charCodeAt(e) === 10 && s.charCodeAt(e - 1) === 13) e--;
          value = s.slice(p, e);
          p = stop;
        }
        if (value.length > FIELD_LIMIT) throw this.fieldTooLarge(row.length + 1);
      }
      row.push(value);
      if (p < len && s.charCodeAt(p) === dc) {
        p++;
        continue;
      }
      if (p < len && crlf && s.charCodeAt(p) === 13 && p + 1 < len && s.charCodeAt(p + 1) === 10) p++;
      if (p < len) {
        p++; // the line break
      } else if (!final) {
        return this.incomplete(s, pos);
      } else {
        this.unterminated = this.row;
      }
      break;
    }
    if (row.every((v) => v.length === 0)) this.blank();
    else this.record(row);
    return p;
  }

  /** Offset of the delimiter or line break that ends the unquoted field at p, or -1 if the text ends first. */
  private fieldEnd(s: string, p: number): number {
    const d = s.indexOf(this.delim, p);
    const n = this.nextLineBreak(s, p);
    if (d < 0) return n;
    if (n < 0) return d;
    return d < n ? d : n;
  }

  /**
   * The next line break at or after p, remembered: a record of a million short fields would otherwise scan
   * to the end of its line once per field (found by the fuzz test: minutes for one 1 MB line).
   */
  private nextLineBreak(s: string, p: number): number {
    if (s !== this.breakIn || p < this.breakFrom || (this.breakAt >= 0 && this.breakAt < p)) {
      this.breakIn = s;
      this.breakFrom = p;
      this.breakAt = s.indexOf(this.nl, p);
    }
    return this.breakAt;
  }

  private breakIn: string | null = null;
  private breakFrom = 0;
  private breakAt = -1;

  private incomplete(s: string, pos: number): number {
    if (s.length - pos > RECORD_LIMIT) throw this.recordTooLarge();
    return -1;
  }

  private record(row: string[]): void {
    if (this.header === null) {
      const header = row.map((h) => h.trim());
      if (header.length > 0 && header[0]!.charCodeAt(0) === 0xfeff) header[0] = header[0]!.slice(1).trim();
      this.header = header;
      this.row++;
      return;
    }
    if (this.batch.length === 0) this.batchFirst = this.row;
    this.batch.push(row);
    this.row++;
    if (this.batch.length >= this.batchRows) this.closeBatch();
  }

  private blank(): void {
    this.row++;
    this.closeBatch();
  }

  private closeBatch(): void {
    if (this.batch.length === 0) return;
    this.ready.push({ rows: this.batch, firstRow: this.batchFirst });
    this.batch = [];
  }

  /** A long line without quotes: find the first oversized field (only runs for lines above the limit). */
  private checkUnquotedFields(s: string, from: number, end: number): void {
    let p = from;
    let column = 1;
    for (;;) {
      let d = s.indexOf(this.delim, p);
      if (d < 0 || d > end) d = end;
      if (d - p > FIELD_LIMIT) throw this.fieldTooLarge(column);
      if (d >= end) return;
      p = d + 1;
      column++;
    }
  }

  /** An open record must not grow without bound while we wait for its line break. */
  private checkCarry(): void {
    const c = this.carry;
    if (c.length <= FIELD_LIMIT) return;
    if (c.length > RECORD_LIMIT) throw this.recordTooLarge();
    // The carry has no line break outside quotes, so parseQuoted cannot complete (and emit) it: it only
    // measures its fields, throwing on an oversized one.
    if (c.indexOf('"') < 0) this.checkUnquotedFields(c, 0, c.length);
    else this.parseQuoted(c, 0, false);
  }

  private fieldTooLarge(column: number): EngineError {
    return new EngineError(
      'bad_input',
      `第 ${this.row} 行第 ${column} 列的内容超过 1 MB，文件可能有未闭合的引号，或不是正确的 CSV 文件`,
      `field larger than ${FIELD_LIMIT} chars at row ${this.row}, column ${column}`,
    );
  }

  private recordTooLarge(): EngineError {
    return new EngineError(
      'bad_input',
      `第 ${this.row} 行的内容超过 16 MB，文件可能有未闭合的引号，或不是正确的 CSV 文件`,
      `record larger than ${RECORD_LIMIT} chars at row ${this.row}`,
    );
  }

  private unclosedQuote(column: number): EngineError {
    return new EngineError(
      'bad_input',
      `第 ${this.row} 行第 ${column} 列的引号没有闭合，一直到文件末尾。请检查这一行的引号，或在 Excel 中另存为 CSV 后再导入`,
      `unclosed quote at row ${this.row}, column ${column}`,
    );
  }
}

/**
 * Bytes to text, chunk by chunk, with the decoder's state carried across chunk boundaries.
 * Pure-ASCII chunks skip the decoder (ASCII reads the same in every supported 8-bit encoding, and a
 * one-byte string is also cheaper to slice), but only when no multibyte char can be pending from the
 * previous chunk.
 */
class ChunkDecoder {
  private readonly decoder: TextDecoder;
  private clean = true;
  private readonly asciiCompatible: boolean;

  constructor(readonly encoding: TextEncoding) {
    this.decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    this.asciiCompatible = encoding === 'utf-8' || encoding === 'gb18030';
  }

  decode(chunk: Buffer): string {
    if (this.asciiCompatible) {
      const n = chunk.length;
      if (this.clean && isAscii(chunk)) return chunk.toString('latin1');
      const last = n > 0 ? chunk[n - 1]! : 0;
      // UTF-8: an ASCII last byte ends every sequence. GB18030: trail bytes can be ASCII, but two
      // ASCII bytes in a row, or a byte below '0', cannot leave a char open.
      this.clean = last < 0x30 || (last < 0x80 && (this.encoding === 'utf-8' || (n > 1 && chunk[n - 2]! < 0x80)));
    }
    return this.decoder.decode(chunk, { stream: true });
  }

  flush(): string {
    return this.decoder.decode();
  }
}

export interface TextPlan {
  file: string;
  fileName: string;
  fileBytes: number;
  encoding: TextEncoding;
  bomLength: number;
  /** Chosen by the user, so errors say "you chose X" instead of "we detected X". */
  forced: boolean;
  delimiter: Delimiter;
  lineBreak: '\n' | '\r';
  headers: string[];
}

/** Decides encoding and delimiter from the sample and reads the header. */
export function planText(file: string, sample: FileSample, options: OpenSourceOptions): TextPlan {
  const fileName = baseName(file);
  const bytes = sample.bytes;
  const bom = detectBom(bytes);
  let encoding: TextEncoding;
  let bomLength = 0;
  const forced = options.encoding !== undefined;
  if (options.encoding) {
    encoding = options.encoding;
    if (bom && bom.encoding !== encoding) {
      throw new EngineError(
        'bad_input',
        `文件“${fileName}”开头有 ${ENCODING_LABEL[bom.encoding]} 的编码标记（BOM），但导入时选择了 ${ENCODING_CHOICE[encoding]}。请把编码选为 ${ENCODING_CHOICE[bom.encoding]}，或用“自动识别”`,
        `forced ${encoding}, BOM says ${bom.encoding}`,
      );
    }
    if (bom) bomLength = bom.length;
    if (!encoding.startsWith('utf-16') && bytes.indexOf(0) >= 0) throw notText(fileName, bytes, `NUL byte at offset ${bytes.indexOf(0)}`, options.delimiter);
  } else {
    const guess = guessEncoding(sample);
    if (guess.kind === 'binary') throw notText(fileName, bytes, guess.detail, options.delimiter);
    if (guess.kind === 'unknown') {
      throw new EngineError(
        'bad_input',
        `无法识别文件“${fileName}”的编码：它既不是 UTF-8，也不是 GBK/GB18030。请用 Excel 或记事本把文件另存为“CSV UTF-8”后再导入`,
        guess.detail,
      );
    }
    encoding = guess.encoding;
    bomLength = guess.bomLength;
  }

  const body = bytes.subarray(bomLength);
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body, { stream: !sample.whole });
  } catch (error) {
    // Only a forced encoding gets here: detection has already proved the sample decodes.
    throw encodingError({ fileName, encoding, forced, row: rowAtFirstBadByte(body, encoding, options.delimiter), bytes: body, whole: sample.whole, cause: error });
  }
  if (text.trim().length === 0 && sample.whole) throw emptyFile(fileName);
  const lineBreak = detectLineBreak(text);
  const sniffText = sample.whole && !text.endsWith(lineBreak) ? text + lineBreak : text;
  const delimiter = options.delimiter ?? sniffDelimiter(sniffText, lineBreak);

  const parser = new RecordParser(delimiter, lineBreak, 1, true);
  parser.feed(text);
  parser.next();
  if (sample.whole && parser.header === null) {
    parser.end();
    parser.next();
  }
  if (parser.header === null) {
    if (sample.whole) throw emptyFile(fileName);
    throw new EngineError(
      'bad_input',
      `文件“${fileName}”的前 1 MB 里找不到完整的表头行，文件可能有未闭合的引号，或不是 CSV/TSV 文件`,
      `no complete record in the first ${bytes.length} bytes`,
    );
  }
  return { file, fileName, fileBytes: sample.fileBytes, encoding, bomLength, forced, delimiter, lineBreak, headers: parser.header };
}

/** `chunkBytes` exists for tests, which use tiny chunks to put every boundary inside chars and records. */
export function openTextSource(plan: TextPlan, options: OpenSourceOptions, chunkBytes = READ_CHUNK): TabularSource {
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
  const state: ReadState = { unterminated: null };
  return {
    unterminatedRow: () => state.unterminated,
    format: 'csv',
    fileName: plan.fileName,
    fileBytes: plan.fileBytes,
    encoding: plan.encoding,
    delimiter: plan.delimiter,
    sheets: [],
    sheet: null,
    headers: plan.headers,
    progressTotal: plan.fileBytes,
    batches: () => readBatches(plan, batchRows, chunkBytes, state),
  };
}

interface ReadState {
  unterminated: number | null;
}

async function* readBatches(plan: TextPlan, batchRows: number, chunkBytes: number, state: ReadState): AsyncGenerator<RowBatch> {
  const parser = new RecordParser(plan.delimiter, plan.lineBreak, batchRows);
  const decoder = new ChunkDecoder(plan.encoding);
  const stream = createReadStream(plan.file, { start: plan.bomLength, highWaterMark: chunkBytes });
  let consumed = plan.bomLength;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      consumed += chunk.length;
      let text: string;
      try {
        text = decoder.decode(chunk);
      } catch (error) {
        throw midFileEncodingError(plan, parser, chunk, error);
      }
      parser.feed(text);
      for (let b = parser.next(); b !== null; b = parser.next()) {
        yield { rows: b.rows, firstRow: b.firstRow, progress: consumed };
      }
    }
    let tail: string;
    try {
      tail = decoder.flush();
    } catch (error) {
      throw encodingError({ fileName: plan.fileName, encoding: plan.encoding, forced: plan.forced, row: parser.row, bytes: null, whole: true, cause: error, midFile: !plan.forced });
    }
    if (tail) parser.feed(tail);
    for (let b = parser.next(); b !== null; b = parser.next()) {
      yield { rows: b.rows, firstRow: b.firstRow, progress: consumed };
    }
    parser.end();
    for (let b = parser.next(); b !== null; b = parser.next()) {
      state.unterminated = parser.unterminated;
      yield { rows: b.rows, firstRow: b.firstRow, progress: consumed };
    }
    state.unterminated = parser.unterminated;
  } catch (error) {
    // File system errors (the file was moved, a network drive dropped) are the user's to fix; anything
    // else is a bug and stays an internal error.
    const code = (error as { code?: unknown } | null)?.code;
    if (!(error instanceof EngineError) && typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw openError(plan.file, error);
    throw error;
  } finally {
    stream.destroy();
  }
}

/**
 * A chunk failed to decode. Decodes it again without `fatal` to find the first replacement char, and
 * runs the text before it through the parser, so the error names the row the bad bytes are in.
 */
function midFileEncodingError(plan: TextPlan, parser: RecordParser, chunk: Buffer, cause: unknown): EngineError {
  const loose = new TextDecoder(plan.encoding, { ignoreBOM: true }).decode(chunk, { stream: true });
  // The first chars may be the rest of a char cut by the previous chunk, which a fresh decoder cannot join.
  const bad = loose.indexOf('\ufffd', 3);
  try {
    if (bad > 0) {
      parser.feed(loose.slice(0, bad));
      while (parser.next() !== null);
    }
  } catch {
    // The row count is a hint; a parse problem in garbage text must not hide the encoding error.
  }
  return encodingError({
    fileName: plan.fileName,
    encoding: plan.encoding,
    forced: plan.forced,
    row: parser.row,
    bytes: chunk,
    whole: false,
    cause,
    midFile: !plan.forced,
  });
}

function rowAtFirstBadByte(bytes: Uint8Array, encoding: TextEncoding, delimiter: Delimiter | undefined): number {
  const loose = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes, { stream: true });
  const bad = loose.indexOf('\ufffd');
  if (bad <= 0) return 1;
  return rowAfter(loose.slice(0, bad), delimiter);
}

/** The spreadsheet row a problem is in, from the text before it: a hint, so a parse error only stops the count. */
function rowAfter(prefix: string, delimiter: Delimiter | undefined): number {
  if (prefix.length === 0) return 1;
  const lineBreak = detectLineBreak(prefix);
  const parser = new RecordParser(delimiter ?? sniffDelimiter(prefix, lineBreak), lineBreak, Number.MAX_SAFE_INTEGER);
  try {
    parser.feed(prefix);
    while (parser.next() !== null);
  } catch {
    // The count up to the problem stands.
  }
  return parser.row;
}

interface EncodingErrorInput {
  fileName: string;
  encoding: TextEncoding;
  forced: boolean;
  row: number;
  /** Bytes around the failure, to suggest the encoding they do decode in. */
  bytes: Uint8Array | null;
  whole: boolean;
  cause: unknown;
  /** Detection chose the encoding from the start of the file and a later part disagrees. */
  midFile?: boolean;
}

function encodingError(input: EncodingErrorInput): EngineError {
  const { fileName, encoding, row } = input;
  const likely = input.bytes ? suggestEncoding(input.bytes, encoding, input.whole) : null;
  const detail = `${encoding} decode failed near row ${row}: ${input.cause instanceof Error ? input.cause.message : String(input.cause)}`;
  const hint = likely
    ? input.forced
      ? `它看起来是 ${ENCODING_LABEL[likely]} 编码，请在导入时选择 ${ENCODING_CHOICE[likely]}，或用“自动识别”`
      : `它看起来是 ${ENCODING_LABEL[likely]} 编码，请在导入时把编码选为 ${ENCODING_CHOICE[likely]}，然后重新导入`
    : '文件可能混用了多种编码或已损坏，请用 Excel 或记事本另存为“CSV UTF-8”后再导入';
  if (input.midFile) {
    return new EngineError(
      'bad_input',
      `文件“${fileName}”前面部分按 ${ENCODING_LABEL[encoding]} 读取，但第 ${row} 行附近出现了不是 ${ENCODING_LABEL[encoding]} 编码的内容。${hint}`,
      detail,
    );
  }
  return new EngineError('bad_input', `文件不是有效的 ${ENCODING_LABEL[encoding]} 编码（第 ${row} 行附近）。${hint}`, detail);
}

function suggestEncoding(bytes: Uint8Array, failed: TextEncoding, whole: boolean): TextEncoding | null {
  const bom = detectBom(bytes);
  if (bom && bom.encoding !== failed) return bom.encoding;
  const order: TextEncoding[] = ['utf-8', 'gb18030'];
  for (const candidate of order) {
    if (candidate === failed) continue;
    // Skip a few bytes: the chunk may start inside a char that began in the previous chunk.
    for (let skip = 0; skip < 4; skip++) {
      if (decodesAs(bytes.subarray(skip), candidate, whole)) return candidate;
    }
  }
  return null;
}

/**
 * A NUL or other binary byte in the sample. A text file with one stray NUL (a truncated export, a bad copy)
 * is told by the row it is in; a file that is binary through and through gets the advice to re-save it.
 */
function notText(fileName: string, bytes: Uint8Array, detail: string, delimiter: Delimiter | undefined): EngineError {
  const nul = bytes.indexOf(0);
  const nuls = nul < 0 ? 0 : countByte(bytes, 0);
  if (nul >= 0 && nuls <= Math.max(8, bytes.length / 1000) && otherControlBytes(bytes) <= Math.max(8, bytes.length / 100)) {
    const row = rowAtOffset(bytes, nul, delimiter);
    return new EngineError(
      'bad_input',
      `文件“${fileName}”第 ${row} 行含有空字符（NUL，十六进制 00），文件可能在导出或复制时损坏。请检查这一行（用记事本等打开可看到异常字符），删去后另存为 CSV UTF-8 再导入`,
      `${detail}; ${nuls} NUL byte(s) in the first ${bytes.length} bytes`,
    );
  }
  const at = nul >= 0 ? `，第 ${rowAtOffset(bytes, nul, delimiter)} 行起出现二进制内容` : '';
  return new EngineError(
    'bad_input',
    `文件“${fileName}”不是文本格式的 CSV/TSV（看起来是二进制文件${at}）。请在 Excel 中“另存为” CSV UTF-8 或 Excel 工作簿 (.xlsx) 后再导入`,
    detail,
  );
}

/** Control bytes besides NUL that text never holds (tab, line breaks and ESC aside). */
function otherControlBytes(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b > 0 && b < 0x20 && (b < 0x09 || (b > 0x0d && b !== 0x1b))) n++;
  }
  return n;
}

function countByte(bytes: Uint8Array, value: number): number {
  let n = 0;
  for (let i = bytes.indexOf(value); i >= 0; i = bytes.indexOf(value, i + 1)) n++;
  return n;
}

/** The spreadsheet row of the record that byte `offset` falls in, counting records before it. */
function rowAtOffset(bytes: Uint8Array, offset: number, delimiter: Delimiter | undefined): number {
  const head = bytes.subarray(detectBom(bytes)?.length ?? 0, offset);
  return rowAfter(new TextDecoder(isUtf8Prefix(head) ? 'utf-8' : 'gb18030', { ignoreBOM: true }).decode(head), delimiter);
}

function isUtf8Prefix(bytes: Uint8Array): boolean {
  return decodesAs(bytes, 'utf-8', false);
}

export function emptyFile(fileName: string): EngineError {
  return new EngineError('bad_input', `文件“${fileName}”是空的，没有表头也没有数据`, 'no bytes, or only blank lines');
}
