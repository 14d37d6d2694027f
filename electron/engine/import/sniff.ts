/**
 * What a file is, from its first bytes: a workbook or text, and for text its encoding, line break and
 * delimiter. Everything here works on a bounded sample, so a 300 MB file costs the same as a small one.
 */
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { EngineError } from '../errors';
import type { Delimiter, TextEncoding } from './source-types';

/** How much of a file encoding and delimiter detection look at. */
export const SAMPLE_BYTES = 1 << 20;

export type Magic = 'zip' | 'ole' | 'text';

export interface FileSample {
  bytes: Buffer;
  fileBytes: number;
  /** The sample is the whole file, so a multibyte char cut at its end is an error, not a truncation. */
  whole: boolean;
}

export async function readSample(file: string, maxBytes = SAMPLE_BYTES): Promise<FileSample> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw openError(file, error);
  }
  try {
    // On Linux a folder opens fine and only fails on read, with an EISDIR no caller expects.
    const stat = await handle.stat();
    if (stat.isDirectory()) throw openError(file, Object.assign(new Error(`EISDIR: ${file} is a directory`), { code: 'EISDIR' }));
    if (!stat.isFile()) throw new EngineError('bad_input', `“${baseName(file)}”不是普通文件（可能是设备或管道），请选择要导入的 CSV 或 Excel 文件`, `not a regular file: mode ${stat.mode.toString(8)}`);
    const size = stat.size;
    const length = Math.min(size, maxBytes);
    const bytes = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(bytes, done, length - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return { bytes: done === length ? bytes : bytes.subarray(0, done), fileBytes: size, whole: done >= size };
  } catch (error) {
    throw error instanceof EngineError ? error : openError(file, error);
  } finally {
    await handle.close();
  }
}

export function openError(file: string, error: unknown): EngineError {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const name = baseName(file);
  if (code === 'ENOENT') return new EngineError('bad_input', `找不到文件“${name}”，请确认文件还在原来的位置`, detail);
  if (code === 'EISDIR') return new EngineError('bad_input', `“${name}”是文件夹，请选择要导入的 CSV 或 Excel 文件`, detail);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EBUSY') {
    return new EngineError('bad_input', `无法读取文件“${name}”：没有权限或文件正被其他程序（如 Excel）占用。请关闭占用它的程序后重试`, detail);
  }
  return new EngineError('bad_input', `无法读取文件“${name}”，请确认文件可以正常打开`, detail);
}

export function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** By content, not by extension: users rename files, and Excel's "Unicode text" is saved as .txt. */
export function detectMagic(bytes: Uint8Array): Magic {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (bytes.length >= 8 && ole.every((b, i) => bytes[i] === b)) return 'ole';
  return 'text';
}

export interface Bom {
  encoding: TextEncoding;
  length: number;
}

export function detectBom(bytes: Uint8Array): Bom | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  // GB18030's own BOM (U+FEFF encoded) is rare but unambiguous.
  if (bytes.length >= 4 && bytes[0] === 0x84 && bytes[1] === 0x31 && bytes[2] === 0x95 && bytes[3] === 0x33) {
    return { encoding: 'gb18030', length: 4 };
  }
  return null;
}

export type EncodingGuess =
  | { kind: 'text'; encoding: TextEncoding; bomLength: number }
  | { kind: 'binary'; detail: string }
  | { kind: 'unknown'; detail: string };

/**
 * BOM first; then binary content; then UTF-8 (which covers plain ASCII) before GB18030, because GB18030
 * accepts almost any byte pair while valid non-ASCII UTF-8 is very unlikely to happen by accident.
 */
export function guessEncoding(sample: FileSample): EncodingGuess {
  const bytes = sample.bytes;
  const bom = detectBom(bytes);
  if (bom) return { kind: 'text', encoding: bom.encoding, bomLength: bom.length };

  if (bytes.indexOf(0) >= 0) {
    const utf16 = guessBomlessUtf16(bytes, sample.whole);
    if (utf16) return { kind: 'text', encoding: utf16, bomLength: 0 };
    return { kind: 'binary', detail: `NUL byte at offset ${bytes.indexOf(0)}` };
  }
  const controls = countControlBytes(bytes);
  if (controls > Math.max(8, bytes.length / 100)) {
    return { kind: 'binary', detail: `${controls} control bytes in the first ${bytes.length} bytes` };
  }

  const utf8End = sample.whole ? bytes.length : utf8SafeEnd(bytes);
  if (isUtf8(bytes.subarray(0, utf8End))) return { kind: 'text', encoding: 'utf-8', bomLength: 0 };
  if (decodesAs(bytes, 'gb18030', sample.whole)) return { kind: 'text', encoding: 'gb18030', bomLength: 0 };
  return { kind: 'unknown', detail: `not UTF-8 (first bad byte near offset ${firstInvalidUtf8(bytes)}) and not GB18030` };
}

/** Whether `bytes` decode without error; a char cut by the end of a sample is not an error. */
export function decodesAs(bytes: Uint8Array, encoding: TextEncoding, whole: boolean): boolean {
  try {
    new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes, { stream: !whole });
    return true;
  } catch {
    return false;
  }
}

/** End of the sample without a possibly cut last UTF-8 sequence. */
function utf8SafeEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && end > bytes.length - 3 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
  if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
  return end;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // isUtf8 is SIMD-fast, so a bisection over prefixes is cheap; this only runs on the error path.
  while (hi - lo > 4) {
    const mid = (lo + hi) >>> 1;
    if (isUtf8(bytes.subarray(0, utf8SafeEnd(bytes.subarray(0, mid))))) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Control bytes that never occur in text: everything below 0x20 but tab, LF, VT, FF, CR and ESC. */
function countControlBytes(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && (b < 0x09 || (b > 0x0d && b !== 0x1b))) n++;
  }
  return n;
}

/**
 * SQL Server's bcp and some core-banking exports write UTF-16 without a BOM. Text in UTF-16 has a zero
 * byte in one parity of almost every ASCII char and rarely in the other (only chars like 开 U+5F00);
 * binary data has zeros in both, and the decoded text must still be free of control chars.
 */
function guessBomlessUtf16(bytes: Uint8Array, whole: boolean): TextEncoding | null {
  const n = Math.min(bytes.length, 1 << 16) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  const encoding: TextEncoding | null =
    oddZeros > pairs * 0.2 && evenZeros < pairs * 0.05 ? 'utf-16le' : evenZeros > pairs * 0.2 && oddZeros < pairs * 0.05 ? 'utf-16be' : null;
  if (!encoding) return null;
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, whole ? bytes.length : n), { stream: !whole });
    let controls = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 && (c < 0x09 || (c > 0x0d && c !== 0x1b))) controls++;
    }
    return controls <= text.length / 100 ? encoding : null;
  } catch {
    return null;
  }
}

/** The line break records end with: LF (which also covers CRLF), or a lone CR from old Mac exports. */
export function detectLineBreak(text: string): '\n' | '\r' {
  return text.indexOf('\n') < 0 && text.indexOf('\r') >= 0 ? '\r' : '\n';
}

const CANDIDATES: readonly Delimiter[] = [',', '\t', ';', '|'];

/**
 * Counts each candidate outside quotes in the first records and picks the one with the same non-zero
 * count in every record, the highest such count winning (a `;` inside one text column must not beat
 * seven commas). Ragged files, or a title line above the header, fall back to the candidate whose most
 * common non-zero count is shared by the most records.
 */
export function sniffDelimiter(text: string, lineBreak: '\n' | '\r', maxRecords = 20): Delimiter {
  const counts = countDelimiters(text, lineBreak, maxRecords);
  if (counts.length === 0) return ',';
  let best: Delimiter = ',';
  let bestAgree = 0;
  let bestCount = 0;
  let bestConsistent = false;
  for (let c = 0; c < CANDIDATES.length; c++) {
    const freq = new Map<number, number>();
    for (const r of counts) if (r[c]! > 0) freq.set(r[c]!, (freq.get(r[c]!) ?? 0) + 1);
    let mode = 0;
    let agree = 0;
    for (const [count, n] of freq) {
      if (n > agree || (n === agree && count > mode)) {
        mode = count;
        agree = n;
      }
    }
    if (agree === 0) continue;
    const consistent = agree === counts.length;
    const better = consistent !== bestConsistent ? consistent : agree !== bestAgree ? agree > bestAgree : mode > bestCount;
    if (better) {
      best = CANDIDATES[c]!;
      bestAgree = agree;
      bestCount = mode;
      bestConsistent = consistent;
    }
  }
  return best;
}

/** Per complete non-blank record, the count of each candidate outside quotes. */
function countDelimiters(text: string, lineBreak: string, maxRecords: number): number[][] {
  const records: number[][] = [];
  const nl = lineBreak.charCodeAt(0);
  let counts = [0, 0, 0, 0];
  let inQuotes = false;
  let chars = 0;
  for (let i = 0; i < text.length && records.length < maxRecords; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      inQuotes = !inQuotes;
      chars++;
    } else if (inQuotes) {
      continue;
    } else if (c === nl) {
      if (chars > 0) records.push(counts);
      counts = [0, 0, 0, 0];
      chars = 0;
    } else if (c !== 13) {
      chars++;
      if (c === 44) counts[0]!++;
      else if (c === 9) counts[1]!++;
      else if (c === 59) counts[2]!++;
      else if (c === 124) counts[3]!++;
    }
  }
  // A last record without a line break counts only if the sample ended with the file, which the caller
  // signals by passing text that ends with a line break; otherwise it may be cut.
  return records;
}

export const ENCODING_LABEL: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  gb18030: 'GBK/GB18030',
  'utf-16le': 'UTF-16LE（Excel 的“Unicode 文本”）',
  'utf-16be': 'UTF-16BE',
};

/** The choice in the import wizard's encoding list that reads this encoding. */
export const ENCODING_CHOICE: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  gb18030: 'GBK',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
};
