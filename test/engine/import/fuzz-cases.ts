/**
 * The fuzz test's seed files and mutations (fuzz.test.ts), apart so that a failing case can be rebuilt and
 * replayed on its own: `textCase(seed, i)` gives the bytes of text case i of a run with that seed.
 */
import iconv from 'iconv-lite';
import { prng } from './source-helpers';
import { workbookParts, zipParts } from './xlsx-fixtures';

export type Rand = () => number;
export const int = (rand: Rand, n: number) => Math.floor(rand() * n);
export const pick = <T>(rand: Rand, items: readonly T[]): T => items[int(rand, items.length)]!;

// ------------------------------------------------------------------------------------------------------
// Seed files

const CSV_LINES = [
  '客户号,客户姓名,性别,出生日期,手机号码,开户日期,风险等级,同意营销',
  'C001,张三,男,1980-03-15,13800001111,2015-06-01,稳健型,是',
  'C002,"李,四",F,1991/11/2,13900002222,20200105,C3,否',
  'C003,"王""五""",1,1975年7月21日,,2010-01-12 09:30:00,进取型,Y',
  'C004,"多行\n备注",2,,13600005555,2019-04-30,,N',
  'C005,赵六,女,1988-09-09,13600006666,2019-04-30,保守型,1',
];

export function seedTexts(): Buffer[] {
  const csv = `${CSV_LINES.join('\r\n')}\r\n`;
  const tsv = `${CSV_LINES.map((l) => l.replace(/,/g, '\t')).join('\n')}\n`;
  const semicolon = '"trans_id";"account_id";"date";"type";"amount"\r\n1;576;930101;"PRIJEM";700.00\r\n2;704;930102;"VYDAJ";12.50\r\n';
  return [
    Buffer.from(csv, 'utf8'),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]),
    iconv.encode(csv, 'gbk'),
    iconv.encode(csv, 'gb18030'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(tsv, 'utf16le')]),
    iconv.encode(tsv, 'utf16le'),
    Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(tsv, 'utf16be')]),
    Buffer.from(tsv, 'utf8'),
    Buffer.from(semicolon, 'latin1'),
    Buffer.from(`客户号|金额\n${Array.from({ length: 200 }, (_, i) => `P${i}|${i * 3.5}`).join('\n')}`, 'utf8'),
  ];
}

export function seedWorkbooks(): Buffer[] {
  const rows = CSV_LINES.map((l) => l.split(','));
  const plain = zipParts(workbookParts(rows));
  const stored = zipParts(workbookParts(rows).map((p) => ({ ...p, stored: true })));
  const wide = zipParts(workbookParts([['客户号', '金额', '日期'], ...Array.from({ length: 300 }, (_, i) => [`W${i}`, String(i * 10.25), '2024-01-31'])]));
  return [plain, stored, wide];
}

// ------------------------------------------------------------------------------------------------------
// Mutations

const SPECIAL = [0x00, 0x1b, 0x0d, 0x0a, 0x22, 0x2c, 0x09, 0x3b, 0xff, 0xfe, 0xef, 0xbb, 0xbf, 0x80, 0xc3, 0xe4, 0x3c, 0x3e, 0x26];

export function mutateBytes(rand: Rand, input: Buffer): Buffer {
  let bytes = Buffer.from(input);
  const steps = 1 + int(rand, 4);
  for (let s = 0; s < steps; s++) {
    const at = bytes.length === 0 ? 0 : int(rand, bytes.length);
    switch (int(rand, 7)) {
      case 0: // flip bits
        if (bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << int(rand, 8));
        break;
      case 1: // a special byte
        if (bytes.length > 0) bytes[at] = pick(rand, SPECIAL);
        break;
      case 2: // insert random bytes
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(rand, 16) }, () => int(rand, 256))), bytes.subarray(at)]);
        break;
      case 3: // delete a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + int(rand, 64)))]);
        break;
      case 4: // cut short
        bytes = bytes.subarray(0, at);
        break;
      case 5: { // repeat a range
        const piece = bytes.subarray(at, at + 1 + int(rand, 200));
        bytes = Buffer.concat([bytes.subarray(0, at), ...Array.from({ length: 1 + int(rand, 50) }, () => piece), bytes.subarray(at)]);
        break;
      }
      default: // a long field
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.alloc(int(rand, 50) === 0 ? 1_100_000 : 5_000, pick(rand, [0x41, 0x22, 0x2c, 0x0a])), bytes.subarray(at)]);
        break;
    }
  }
  return bytes;
}

/** Zip-aware mutations: sizes, offsets and methods in the headers, besides blind byte damage. */
export function mutateZip(rand: Rand, input: Buffer): Buffer {
  const bytes = Buffer.from(input);
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const central: number[] = [];
  for (let i = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i >= 0; i = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)) central.push(i);
  switch (int(rand, 6)) {
    case 0: // huge or zero declared sizes
      if (central.length > 0) bytes.writeUInt32LE(pick(rand, [0, 1, 0x7fffffff, 0xffffffff, 1 << 30, 300 << 20]), pick(rand, central) + pick(rand, [20, 24]));
      return bytes;
    case 1: // local header offsets that point anywhere
      if (central.length > 0) bytes.writeUInt32LE(pick(rand, [0, 1, bytes.length - 10, 0xffffffff, int(rand, bytes.length)]), pick(rand, central) + 42);
      return bytes;
    case 2: // compression method and flags
      if (central.length > 0) bytes.writeUInt16LE(pick(rand, [0, 1, 8, 9, 12, 99]), pick(rand, central) + pick(rand, [8, 10]));
      return bytes;
    case 3: // the end record: counts and the directory's place
      if (eocd >= 0) bytes.writeUInt32LE(pick(rand, [0, 0xffffffff, int(rand, bytes.length)]), eocd + pick(rand, [12, 16]));
      return bytes;
    case 4: // cut short
      return bytes.subarray(0, int(rand, bytes.length));
    default:
      return mutateBytes(rand, bytes);
  }
}

/** The text cases of a run, in order: bytes and a forced encoding, exactly as the test draws them. */
export function* textCases(seed: number, count: number): Generator<{ index: number; bytes: Buffer; encoding?: 'gb18030' | 'utf-16le' }> {
  const rand = prng(seed);
  const texts = seedTexts();
  for (let i = 0; i < count; i++) {
    const base = pick(rand, texts);
    const bytes = i < 60 ? base : mutateBytes(rand, base);
    const encoding = int(rand, 10) === 0 ? pick(rand, ['gb18030', 'utf-16le'] as const) : undefined;
    yield { index: i, bytes, ...(encoding ? { encoding } : {}) };
  }
}

/** The workbook cases of a run, in order. */
export function* workbookCases(seed: number, count: number): Generator<{ index: number; bytes: Buffer }> {
  const rand = prng(seed);
  const workbooks = seedWorkbooks();
  for (let i = 0; i < count; i++) {
    const base = pick(rand, workbooks);
    yield { index: i, bytes: i < 15 ? base : mutateZip(rand, base) };
  }
}
