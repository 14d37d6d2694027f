/** Shared helpers for the source reader tests: temp files, row collection, a tiny ZIP writer. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TabularSource } from '../../../electron/engine/import/source-types';
import { zipParts } from './xlsx-fixtures';

export function makeTempDir(prefix: string): { dir: string; file: (name: string, content: string | Uint8Array) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file(name, content) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return p;
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface NumberedRow {
  row: number;
  cells: string[];
}

/** All data rows with their spreadsheet row numbers, checking the batch contract on the way. */
export async function collect(source: TabularSource): Promise<{ rows: NumberedRow[]; batches: { firstRow: number; size: number; progress: number }[] }> {
  const rows: NumberedRow[] = [];
  const batches: { firstRow: number; size: number; progress: number }[] = [];
  for await (const batch of source.batches()) {
    if (batch.rows.length === 0) throw new Error('empty batch');
    batches.push({ firstRow: batch.firstRow, size: batch.rows.length, progress: batch.progress });
    batch.rows.forEach((cells, i) => rows.push({ row: batch.firstRow + i, cells }));
  }
  return { rows, batches };
}

/** A ZIP of deflated text entries, enough to fake "a ZIP that is not a workbook". */
export function makeZip(entries: Record<string, string>): Buffer {
  return zipParts(Object.entries(entries).map(([name, text]) => ({ name, data: Buffer.from(text, 'utf8') })));
}

/** A deterministic PRNG so generated files are the same on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
