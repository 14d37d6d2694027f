import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { type DemoOptions, generateDemoFiles } from '../../../electron/engine/demo';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `bpw-demo-${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function demoOptions(dir: string, overrides: Partial<DemoOptions> = {}): DemoOptions {
  return { dir, customers: 1000, seed: 20240601, txPerYear: 12, months: 24, dirty: false, encoding: 'utf-8', ...overrides };
}

export async function generate(label: string, overrides: Partial<DemoOptions> = {}) {
  const dir = tempDir(label);
  const result = await generateDemoFiles(demoOptions(dir, overrides));
  return { dir, ...result };
}

/** The text of a demo CSV, decoded the way the importer will: BOM-stripped UTF-8, or GB18030. */
export function readText(path: string, encoding: 'utf-8' | 'gb18030' = 'utf-8'): string {
  const bytes = readFileSync(path);
  if (encoding === 'gb18030') return iconv.decode(bytes, 'gb18030');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** RFC 4180 records; enough for the demo files (quoted cells, CRLF). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || record.length) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

export function readCsv(path: string, encoding: 'utf-8' | 'gb18030' = 'utf-8'): { headers: string[]; rows: string[][] } {
  const [headers = [], ...rows] = parseCsv(readText(path, encoding));
  return { headers, rows };
}

/** Day number of a 'YYYY-MM-DD' date. */
export function dayOf(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}
