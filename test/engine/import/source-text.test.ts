import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource, previewSource } from '../../../electron/engine/import/source';
import { readSample } from '../../../electron/engine/import/sniff';
import { openTextSource, planText } from '../../../electron/engine/import/text-reader';
import type { Delimiter, TextEncoding } from '../../../electron/engine/import/source-types';
import { collect, makeTempDir, makeZip, prng } from './source-helpers';

const tmp = makeTempDir('bpw-source-text-');
afterAll(() => tmp.cleanup());

const HEADER = '客户号,姓名,开户日期,金额\n';
const BODY = 'C001,张三,2023-01-02,100.5\nC002,李四,2023-02-03,-20\n';

async function rowsOf(file: string, options: Partial<Parameters<typeof openSource>[0]> = {}) {
  const source = await openSource({ file, ...options });
  return { source, ...(await collect(source)) };
}

describe('encodings', () => {
  const expected = [
    { row: 2, cells: ['C001', '张三', '2023-01-02', '100.5'] },
    { row: 3, cells: ['C002', '李四', '2023-02-03', '-20'] },
  ];

  it('reads UTF-8', async () => {
    const { source, rows } = await rowsOf(tmp.file('utf8.csv', HEADER + BODY));
    expect(source).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', headers: ['客户号', '姓名', '开户日期', '金额'] });
    expect(rows).toEqual(expected);
  });

  it('strips a UTF-8 BOM', async () => {
    const { source, rows } = await rowsOf(tmp.file('bom.csv', '\ufeff' + HEADER + BODY));
    expect(source.encoding).toBe('utf-8');
    expect(source.headers[0]).toBe('客户号');
    expect(rows).toEqual(expected);
  });

  it('detects GBK and decodes it as GB18030', async () => {
    const { source, rows } = await rowsOf(tmp.file('gbk.csv', iconv.encode(HEADER + BODY, 'gbk')));
    expect(source.encoding).toBe('gb18030');
    expect(source.headers).toEqual(['客户号', '姓名', '开户日期', '金额']);
    expect(rows).toEqual(expected);
  });

  it('reads GB18030 four-byte chars (rare surnames, emoji)', async () => {
    const text = 'id,name\n1,𠈌先生\n2,😀\n3,é\n';
    const { source, rows } = await rowsOf(tmp.file('gb18030.csv', iconv.encode(text, 'gb18030')));
    expect(source.encoding).toBe('gb18030');
    expect(rows.map((r) => r.cells[1])).toEqual(['𠈌先生', '😀', 'é']);
  });

  it("reads Excel's Unicode text: UTF-16LE with BOM, tab separated", async () => {
    const text = HEADER.replaceAll(',', '\t') + BODY.replaceAll(',', '\t');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replaceAll('\n', '\r\n'), 'utf16le')]);
    const { source, rows } = await rowsOf(tmp.file('unicode.txt', bytes));
    expect(source).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(source.headers[0]).toBe('客户号');
    expect(rows).toEqual(expected);
  });

  it('reads UTF-16BE with BOM', async () => {
    const le = Buffer.from(HEADER + BODY, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1]!;
      be[i + 1] = le[i]!;
    }
    const { source, rows } = await rowsOf(tmp.file('utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be])));
    expect(source.encoding).toBe('utf-16be');
    expect(rows).toEqual(expected);
  });

  it('reads UTF-16LE without BOM (bcp exports)', async () => {
    const { source, rows } = await rowsOf(tmp.file('bcp.csv', Buffer.from(HEADER + BODY, 'utf16le')));
    expect(source.encoding).toBe('utf-16le');
    expect(rows).toEqual(expected);
  });

  it('honours an explicit encoding', async () => {
    const { source, rows } = await rowsOf(tmp.file('gbk-forced.csv', iconv.encode(HEADER + BODY, 'gbk')), { encoding: 'gb18030' });
    expect(source.encoding).toBe('gb18030');
    expect(rows).toEqual(expected);
  });

  it('names the row and the likely encoding when the chosen encoding is wrong', async () => {
    const file = tmp.file('gbk-as-utf8.csv', iconv.encode('id,name\nC001,Zhang\nC002,张三\n', 'gbk'));
    await expect(openSource({ file, encoding: 'utf-8' })).rejects.toMatchObject({
      code: 'bad_input',
      message: '文件不是有效的 UTF-8 编码（第 3 行附近）。它看起来是 GBK/GB18030 编码，请在导入时选择 GBK，或用“自动识别”',
    });
  });

  it('refuses a chosen encoding that contradicts the BOM', async () => {
    const file = tmp.file('bom-vs-gbk.csv', '\ufeff' + HEADER + BODY);
    await expect(openSource({ file, encoding: 'gb18030' })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('BOM') });
  });

  it('fails with the row number when GBK appears after an ASCII first megabyte', async () => {
    const line = 'C0000001,100.00,2023-01-02\n';
    const asciiRows = Math.ceil((1.3 * (1 << 20)) / line.length);
    const bytes = Buffer.concat([
      Buffer.from('id,amount,date\n' + line.repeat(asciiRows)),
      iconv.encode('C0000002,张三,2023-01-02\n', 'gbk'),
      Buffer.from(line.repeat(10)),
    ]);
    const source = await openSource({ file: tmp.file('late-gbk.csv', bytes) });
    expect(source.encoding).toBe('utf-8');
    const badRow = asciiRows + 2;
    await expect(collect(source)).rejects.toMatchObject({
      code: 'bad_input',
      message: `文件“late-gbk.csv”前面部分按 UTF-8 读取，但第 ${badRow} 行附近出现了不是 UTF-8 编码的内容。它看起来是 GBK/GB18030 编码，请在导入时把编码选为 GBK，然后重新导入`,
    });
  });

  it('rejects bytes that are neither UTF-8 nor GB18030', async () => {
    const bytes = Buffer.from('id,name\n1,\xff\xff\xff\n', 'latin1');
    await expect(openSource({ file: tmp.file('bad-bytes.csv', bytes) })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('既不是 UTF-8，也不是 GBK/GB18030'),
    });
  });
});

describe('delimiters', () => {
  const cases: [Delimiter, string][] = [
    [',', 'comma'],
    ['\t', 'tab'],
    [';', 'semicolon'],
    ['|', 'pipe'],
  ];
  for (const [delimiter, name] of cases) {
    it(`sniffs ${name}`, async () => {
      const text = ['id', 'name', 'note'].join(delimiter) + '\n' + ['1', 'a', 'x'].join(delimiter) + '\n' + ['2', 'b', 'y'].join(delimiter) + '\n';
      const { source, rows } = await rowsOf(tmp.file(`${name}.csv`, text));
      expect(source.delimiter).toBe(delimiter);
      expect(rows.map((r) => r.cells)).toEqual([
        ['1', 'a', 'x'],
        ['2', 'b', 'y'],
      ]);
    });
  }

  it('counts only delimiters outside quotes', async () => {
    const text = 'id;name;note\n1;"Smith, J";"a, b, c"\n2;"Lee, K";"d, e"\n';
    const { source, rows } = await rowsOf(tmp.file('semi-quoted.csv', text));
    expect(source.delimiter).toBe(';');
    expect(rows[0]!.cells).toEqual(['1', 'Smith, J', 'a, b, c']);
  });

  it('prefers the delimiter with the higher consistent count', async () => {
    const text = 'a,b,c;d\n1,2,3;4\n5,6,7;8\n';
    expect((await openSource({ file: tmp.file('comma-vs-semi.csv', text) })).delimiter).toBe(',');
  });

  it('sniffs past a title line and ragged rows', async () => {
    const text = '客户信息表（2024年1月）\n客户号;姓名;备注\n1;张三;a,b\n2;李四\n3;王五;c\n';
    const source = await openSource({ file: tmp.file('title-line.csv', text) });
    expect(source.delimiter).toBe(';');
  });

  it('takes an explicit delimiter', async () => {
    const text = 'a,b;c\n1,2;3\n';
    const { source, rows } = await rowsOf(tmp.file('forced-delim.csv', text), { delimiter: ';' });
    expect(source.headers).toEqual(['a,b', 'c']);
    expect(rows[0]!.cells).toEqual(['1,2', '3']);
  });

  it('reads a single-column file', async () => {
    const { source, rows } = await rowsOf(tmp.file('one-col.csv', '客户号\nC1\nC2\n'));
    expect(source.headers).toEqual(['客户号']);
    expect(rows.map((r) => r.cells)).toEqual([['C1'], ['C2']]);
  });
});

describe('RFC 4180 and row numbers', () => {
  it('unquotes fields with delimiters, doubled quotes and embedded line breaks; numbers rows like a spreadsheet', async () => {
    const text =
      ' id , name ,note\r\n' +
      '1,"Smith, John","He said ""hi"""\r\n' +
      '2,"多行\r\n备注", x \r\n' +
      '\r\n' +
      '3,plain,"a\nb"\r\n' +
      ',,\r\n' +
      '4,"",""""';
    const { source, rows, batches } = await rowsOf(tmp.file('rfc.csv', text));
    expect(source.headers).toEqual(['id', 'name', 'note']);
    expect(rows).toEqual([
      { row: 2, cells: ['1', 'Smith, John', 'He said "hi"'] },
      { row: 3, cells: ['2', '多行\r\n备注', ' x '] },
      { row: 5, cells: ['3', 'plain', 'a\nb'] },
      { row: 7, cells: ['4', '', '"'] },
    ]);
    // A batch never spans a skipped line, so firstRow + i is every row's number.
    expect(batches.map((b) => [b.firstRow, b.size])).toEqual([
      [2, 2],
      [5, 1],
      [7, 1],
    ]);
  });

  it('handles LF, CRLF and lone CR files, with and without a final line break', async () => {
    for (const [name, nl] of [
      ['lf', '\n'],
      ['crlf', '\r\n'],
      ['cr', '\r'],
    ] as const) {
      for (const trailing of [true, false]) {
        const text = ['a,b', '1,2', '3,4'].join(nl) + (trailing ? nl : '');
        const { rows } = await rowsOf(tmp.file(`${name}-${trailing}.csv`, text));
        expect(rows, `${name} trailing=${trailing}`).toEqual([
          { row: 2, cells: ['1', '2'] },
          { row: 3, cells: ['3', '4'] },
        ]);
      }
    }
  });

  it('keeps ragged rows as they are', async () => {
    const { rows } = await rowsOf(tmp.file('ragged.csv', 'a,b,c\n1,2\n1,2,3,4\n'));
    expect(rows.map((r) => r.cells)).toEqual([
      ['1', '2'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('is lenient with text after a closing quote and with quotes inside unquoted fields', async () => {
    const { rows } = await rowsOf(tmp.file('lenient.csv', 'a,b,c\n"x"y,5\'11",z\n'));
    expect(rows[0]!.cells).toEqual(['xy', '5\'11"', 'z']);
  });

  it('skips blank lines before the header and counts them', async () => {
    const { source, rows } = await rowsOf(tmp.file('leading-blank.csv', '\n\na,b\n1,2\n'));
    expect(source.headers).toEqual(['a', 'b']);
    expect(rows).toEqual([{ row: 4, cells: ['1', '2'] }]);
  });

  it('splits into batches of batchRows and reports bytes as progress', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `${i},v${i}`);
    const file = tmp.file('batches.csv', 'n,v\n' + lines.join('\n') + '\n');
    const source = await openSource({ file, batchRows: 5 });
    const { rows, batches } = await collect(source);
    expect(batches.map((b) => [b.firstRow, b.size])).toEqual([
      [2, 5],
      [7, 5],
      [12, 2],
    ]);
    expect(rows.at(-1)).toEqual({ row: 13, cells: ['11', 'v11'] });
    expect(source.progressTotal).toBe(source.fileBytes);
    expect(batches.at(-1)!.progress).toBe(source.fileBytes);
  });

  it('fails on a quote left open until the end of the file', async () => {
    const source = await openSource({ file: tmp.file('open-quote.csv', 'a,b\n1,2\n3,"oops\n4,5\n') });
    await expect(collect(source)).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('第 3 行第 2 列的引号没有闭合') });
  });
});

describe('oversized fields', () => {
  const tenMb = 10 << 20;

  it('stops at a 10 MB field instead of buffering it', async () => {
    const file = tmp.file('blob.csv', 'id,blob\n1,' + 'x'.repeat(tenMb) + '\n2,y\n');
    const source = await openSource({ file });
    await expect(collect(source)).rejects.toMatchObject({
      code: 'bad_input',
      message: '第 2 行第 2 列的内容超过 1 MB，文件可能有未闭合的引号，或不是正确的 CSV 文件',
    });
  });

  it('stops when an unclosed quote swallows the rest of the file', async () => {
    const file = tmp.file('swallow.csv', 'id,name,note\n1,a,ok\n2,b,"unclosed\n' + '3,c,more text\n'.repeat(tenMb / 14));
    const source = await openSource({ file });
    await expect(collect(source)).rejects.toMatchObject({
      code: 'bad_input',
      message: '第 3 行第 3 列的内容超过 1 MB，文件可能有未闭合的引号，或不是正确的 CSV 文件',
    });
  });

  it('stops on a huge quoted field without line breaks', async () => {
    const file = tmp.file('quoted-blob.csv', 'id,blob\n1,"' + 'x'.repeat(3 << 20) + '"\n');
    await expect(collect(await openSource({ file }))).rejects.toMatchObject({ message: expect.stringContaining('第 2 行第 2 列的内容超过 1 MB') });
  });
});

describe('files that are not CSV', () => {
  it('rejects a binary file renamed to .csv', async () => {
    const rand = prng(7);
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256)));
    bytes[10] = 0;
    await expect(openSource({ file: tmp.file('photo.csv', bytes) })).rejects.toMatchObject({
      code: 'bad_input',
      message: '文件“photo.csv”不是文本格式的 CSV/TSV（看起来是二进制文件，第 1 行起出现二进制内容）。请在 Excel 中“另存为” CSV UTF-8 或 Excel 工作簿 (.xlsx) 后再导入',
    });
  });

  it('rejects control characters without NUL bytes as binary', async () => {
    const bytes = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    await expect(openSource({ file: tmp.file('ctrl.csv', bytes) })).rejects.toMatchObject({ message: expect.stringContaining('二进制') });
  });

  it('rejects a ZIP that is not a workbook, and says to unzip it', async () => {
    const file = tmp.file('export.csv', makeZip({ 'data/customers.csv': 'a,b\n1,2\n' }));
    await expect(openSource({ file })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('请先解压，再导入其中的“data/customers.csv”') });
  });

  it('rejects a Word document', async () => {
    const file = tmp.file('report.xlsx', makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }));
    await expect(openSource({ file })).rejects.toMatchObject({ message: expect.stringContaining('Word 或 PowerPoint') });
  });

  it('rejects a truncated ZIP', async () => {
    const zip = makeZip({ 'xl/workbook.xml': '<workbook/>' });
    const file = tmp.file('cut.xlsx', zip.subarray(0, zip.length - 30));
    await expect(openSource({ file })).rejects.toMatchObject({ message: expect.stringContaining('已损坏或不完整') });
  });

  it('rejects an Excel 97-2003 workbook', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    await expect(openSource({ file: tmp.file('old.xls', ole) })).rejects.toMatchObject({ message: expect.stringContaining('Excel 97-2003') });
  });

  it('rejects an empty file', async () => {
    for (const [name, content] of [
      ['empty.csv', ''],
      ['only-bom.csv', '\ufeff'],
      ['only-newlines.csv', '\r\n\r\n\n'],
    ] as const) {
      await expect(openSource({ file: tmp.file(name, content) }), name).rejects.toMatchObject({
        code: 'bad_input',
        message: expect.stringContaining('是空的，没有表头也没有数据'),
      });
    }
  });

  it('says when the file does not exist', async () => {
    await expect(openSource({ file: tmp.file('x.csv', '') + '.missing' })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('找不到文件') });
  });

  it('opens a header-only file with zero batches', async () => {
    for (const text of ['a,b,c\n', 'a,b,c', 'a,b,c\n\n\n']) {
      const { source, batches } = await rowsOf(tmp.file('header-only.csv', text));
      expect(source.headers).toEqual(['a', 'b', 'c']);
      expect(batches).toEqual([]);
    }
  });
});

describe('preview', () => {
  it('returns at most maxRows rows from the start of a large file', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `C${String(i).padStart(8, '0')},张三${i},2023-01-02,${i}.5`);
    const file = tmp.file('big.csv', HEADER + lines.join('\n') + '\n');
    const { info, rows } = await previewSource({ file });
    expect(info).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', headers: ['客户号', '姓名', '开户日期', '金额'] });
    expect('batches' in info).toBe(false);
    expect(rows).toHaveLength(100);
    expect(rows[0]).toEqual(['C00000000', '张三0', '2023-01-02', '0.5']);
    expect(rows[99]![0]).toBe('C00000099');
    expect((await previewSource({ file }, 7)).rows).toHaveLength(7);
  });
});

describe('chunk boundaries', () => {
  /** Random well-formed CSV from known cells, so the expected rows are exact whatever the chunking. */
  function generate(seed: number, delimiter: string): { text: string; header: string[]; expected: { row: number; cells: string[] }[] } {
    const rand = prng(seed);
    const alphabet = ['a', 'Z', '7', ' ', '张', '三', '𠈌', '😀', 'é', '"', '\n', '\r\n', delimiter, ',', ';'];
    const cell = () => {
      const n = Math.floor(rand() * 6);
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      return s;
    };
    const quote = (s: string) => (/["\r\n]/.test(s) || s.includes(delimiter) || rand() < 0.2 ? `"${s.replaceAll('"', '""')}"` : s);
    const header = ['id', '名称', 'note'];
    const lines = [header.join(delimiter)];
    const expected: { row: number; cells: string[] }[] = [];
    let row = 2;
    for (let r = 0; r < 200; r++) {
      if (rand() < 0.05) {
        lines.push('');
        row++;
        continue;
      }
      const cells = [String(r), cell(), cell()];
      lines.push(cells.map(quote).join(delimiter));
      expected.push({ row, cells });
      row++;
    }
    const nl = seed % 2 ? '\r\n' : '\n';
    return { text: lines.join(nl) + (seed % 3 ? nl : ''), header, expected };
  }

  const encodings: { encoding: TextEncoding; encode: (s: string) => Buffer }[] = [
    { encoding: 'utf-8', encode: (s) => Buffer.from(s, 'utf8') },
    { encoding: 'gb18030', encode: (s) => iconv.encode(s, 'gb18030') },
    { encoding: 'utf-16le', encode: (s) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]) },
  ];

  for (const { encoding, encode } of encodings) {
    it(`reads the same rows with any chunk size (${encoding})`, async () => {
      for (const seed of [1, 2, 3]) {
        for (const delimiter of [',', '\t'] as const) {
          const { text, header, expected } = generate(seed, delimiter);
          const file = tmp.file(`chunks-${encoding}-${seed}.csv`, encode(text));
          const sample = await readSample(file);
          const plan = planText(file, sample, { file, encoding, delimiter });
          expect(plan.headers).toEqual(header);
          for (const chunkBytes of [1, 2, 3, 5, 64, 4096]) {
            const { rows } = await collect(openTextSource(plan, { file, batchRows: 7 }, chunkBytes));
            expect(rows, `seed ${seed} delimiter ${JSON.stringify(delimiter)} chunk ${chunkBytes}`).toEqual(expected);
          }
        }
      }
    });
  }
});
