/**
 * Inflates one part of a workbook with limits, in bounded memory (issue #15: a 711 KB file inflated to
 * 300 MB of shared strings and cost 703 MB to import). The limits follow Apache POI's ZipSecureFile, the
 * guard of the most used Java spreadsheet library: a cap on a part's inflated size, a minimum compression
 * ratio past a grace size, and here also a cap on the text between two tags, which bounds a single cell
 * (Excel itself stores at most 32,767 characters in one).
 *
 * The parts are inflated here once and handed to exceljs as stored (uncompressed) zip entries, so the
 * checks cost no second inflation. Declared sizes are trusted for nothing: the bytes are counted.
 */
import zlib from 'node:zlib';
import { EngineError } from '../errors';

export interface InflateLimits {
  /** Inflated bytes the part may have at most. */
  maxBytes: number;
  /** Inflated ÷ compressed bytes above which a part past `ratioGraceBytes` is a zip bomb. */
  maxRatio: number;
  ratioGraceBytes: number;
  /** Bytes of XML between two '<' at most: one cell's text, escaped, with room to spare. */
  maxTextRun: number;
}

/** Shared strings: all of them stay in memory while the sheet is read. */
export const SHARED_STRINGS_LIMITS: InflateLimits = { maxBytes: 256 << 20, maxRatio: 250, ratioGraceBytes: 16 << 20, maxTextRun: 256 << 10 };
/** A worksheet streams row by row, so only its ratio and its cells are bounded, not its size. */
export const SHEET_LIMITS: InflateLimits = { maxBytes: Number.MAX_SAFE_INTEGER, maxRatio: 250, ratioGraceBytes: 16 << 20, maxTextRun: 256 << 10 };
/** Relationships, workbook and styles: small XML. */
export const SMALL_PART_LIMITS: InflateLimits = { maxBytes: 64 << 20, maxRatio: 1000, ratioGraceBytes: 1 << 20, maxTextRun: 1 << 20 };

const LT = 0x3c;

export type PartProblem = 'too_large' | 'ratio' | 'cell' | 'size_mismatch' | 'corrupt';

export class PartGuardError extends Error {
  constructor(
    readonly problem: PartProblem,
    detail: string,
  ) {
    super(detail);
    this.name = 'PartGuardError';
  }
}

/** Counts and scans inflated bytes; throws PartGuardError at the first limit crossed. */
export class PartScanner {
  inflated = 0;
  private run = 0;

  constructor(
    private readonly part: string,
    private readonly limits: InflateLimits,
    /** The size the zip declares; the part may not inflate past it. */
    private readonly declared: number = Number.MAX_SAFE_INTEGER,
  ) {}

  scan(bytes: Buffer, compressedSoFar: number): void {
    this.inflated += bytes.length;
    if (this.inflated > this.limits.maxBytes) throw new PartGuardError('too_large', `${this.part} inflates past ${this.limits.maxBytes} bytes`);
    if (this.inflated > this.declared) throw new PartGuardError('size_mismatch', `${this.part} inflates past its declared ${this.declared} bytes`);
    if (this.inflated > this.limits.ratioGraceBytes && this.inflated > compressedSoFar * this.limits.maxRatio) {
      throw new PartGuardError('ratio', `${this.part}: ${this.inflated} bytes from ${compressedSoFar} compressed, ratio above ${this.limits.maxRatio}`);
    }
    // Gaps between '<' inside one buffer are at most its length; only runs across buffers can grow long.
    const first = bytes.indexOf(LT);
    if (first < 0) {
      this.run += bytes.length;
    } else {
      this.run += first;
      if (this.run > this.limits.maxTextRun) throw this.cellError();
      this.run = bytes.length - bytes.lastIndexOf(LT) - 1;
      if (bytes.length > this.limits.maxTextRun) this.checkGaps(bytes, first);
    }
    if (this.run > this.limits.maxTextRun) throw this.cellError();
  }

  private checkGaps(bytes: Buffer, from: number): void {
    for (let at = from, next = bytes.indexOf(LT, from + 1); next >= 0; at = next, next = bytes.indexOf(LT, next + 1)) {
      if (next - at > this.limits.maxTextRun) throw this.cellError();
    }
  }

  private cellError(): PartGuardError {
    return new PartGuardError('cell', `${this.part}: more than ${this.limits.maxTextRun} bytes without markup`);
  }
}

/**
 * Inflates `chunks` (the part's compressed bytes) and yields the inflated bytes, checking each against the
 * limits as it arrives. At most one compressed chunk's output waits in memory, and a bomb is stopped as
 * soon as it crosses a limit, so memory stays bounded whatever the part claims.
 */
export async function* inflateGuarded(chunks: AsyncIterable<Buffer>, method: number, scanner: PartScanner, declaredSize: number): AsyncGenerator<Buffer> {
  let compressed = 0;
  if (method === 0) {
    for await (const chunk of chunks) {
      compressed += chunk.length;
      scanner.scan(chunk, Number.MAX_SAFE_INTEGER);
      yield chunk;
    }
    checkSize(scanner, declaredSize);
    return;
  }
  const inflater = zlib.createInflateRaw({ chunkSize: 64 << 10 });
  const pending: Buffer[] = [];
  let failure: unknown = null;
  let ended = false;
  // Resolves whoever waits: a processed chunk, the end, or a failure (a destroyed inflater never calls back).
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  inflater.on('data', (out: Buffer) => {
    if (failure) return;
    try {
      scanner.scan(out, compressed);
      pending.push(out);
    } catch (error) {
      failure = error;
      inflater.destroy();
      notify();
    }
  });
  inflater.on('error', (error) => {
    failure ??= new PartGuardError('corrupt', error.message);
    notify();
  });
  inflater.on('end', () => {
    ended = true;
    notify();
  });
  try {
    for await (const chunk of chunks) {
      compressed += chunk.length;
      await new Promise<void>((resolve) => {
        wake = resolve;
        inflater.write(chunk, () => notify());
      });
      if (failure) throw failure;
      while (pending.length > 0) yield pending.shift()!;
    }
    if (!ended) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        inflater.end();
      });
    }
    // 'end' can only follow the last 'data', so everything inflated is pending now.
    if (failure) throw failure;
    if (!ended) throw new PartGuardError('corrupt', 'inflater did not end');
    while (pending.length > 0) yield pending.shift()!;
    checkSize(scanner, declaredSize);
  } finally {
    inflater.destroy();
  }
}

function checkSize(scanner: PartScanner, declared: number): void {
  if (declared !== 0xffffffff && scanner.inflated !== declared) {
    throw new PartGuardError('size_mismatch', `inflated ${scanner.inflated} bytes, the zip declares ${declared}`);
  }
}

/** The user's message for a part that crossed a limit. */
export function guardMessage(fileName: string, error: PartGuardError): EngineError {
  const advice = '在 Excel 中打开并另存为 .xlsx，或另存为 CSV UTF-8 后再导入';
  switch (error.problem) {
    case 'too_large':
      return new EngineError('bad_input', `工作簿“${fileName}”解压后超出导入上限（共享文本最多 256 MB，单个工作表最多 4 GB）。请把数据分成几个文件，或另存为 CSV UTF-8 后再导入`, error.message);
    case 'ratio':
      return new EngineError('bad_input', `工作簿“${fileName}”的压缩比异常（解压后比原文件大数百倍），可能是恶意构造的文件，已拒绝导入。如确为正常导出的数据，请${advice}`, error.message);
    case 'cell':
      return new EngineError('bad_input', `工作簿“${fileName}”中有单元格内容超过 Excel 的上限（32,767 个字符），文件不是 Excel 正常保存的工作簿，已拒绝导入。请${advice}`, error.message);
    case 'size_mismatch':
    case 'corrupt':
      return new EngineError('bad_input', `文件“${fileName}”看起来是 Excel 工作簿，但已损坏或不完整（例如没有下载完）。请重新导出，或${advice}`, error.message);
  }
}
