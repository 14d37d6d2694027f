import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { field } from '../../../shared/dictionary';
import { INVALID, parseAmount, parseDate, parseMonth } from '../../../shared/values';
import type { PlantedDefect } from '../../../electron/engine/demo';
import { COLUMNS } from '../../../electron/engine/demo/headers';
import { generate, parseCsv, readText, removeDir } from './helpers';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/**
 * Checks that every planted defect is really in the file at the row and column reported, and that the
 * rest of the file is intact: the import error report must list each one by row.
 */
function verify(dir: string, defects: readonly PlantedDefect[], encoding: 'utf-8' | 'gb18030') {
  const files = new Map<string, string[][]>();
  const records = (file: string) => {
    let r = files.get(file);
    if (!r) files.set(file, (r = parseCsv(readText(join(dir, file), encoding))));
    return r;
  };
  const failure = { message: '' };
  for (const d of defects) {
    const table = records(d.file);
    const headers = table[0] as string[];
    const row = table[d.row - 1]; // spreadsheet row r is record r - 1 (the header is row 1)
    expect(row, `${d.file} row ${d.row}`).toBeDefined();
    const cells = row as string[];
    const where = `${d.kind} ${d.file} row ${d.row}`;
    switch (d.kind) {
      case 'ragged_row':
        expect(d.column).toBeNull();
        expect(cells.length, where).toBe(headers.length + 1);
        expect(cells.join(','), where).toContain(d.value);
        break;
      case 'bad_date': {
        const col = headers.indexOf(d.column as string);
        expect(col, where).toBeGreaterThanOrEqual(0);
        expect(cells[col], where).toBe(d.value);
        const parse = d.column === '统计月份' ? parseMonth : parseDate;
        expect(parse(d.value, failure), where).toBe(INVALID);
        expect(cells.length).toBe(headers.length);
        break;
      }
      case 'text_in_number': {
        const col = headers.indexOf(d.column as string);
        expect(cells[col], where).toBe(d.value);
        expect(parseAmount(d.value, failure), where).toBe(INVALID);
        break;
      }
      case 'duplicate_key': {
        // The key of this row already appeared on an earlier row.
        const entityKey = d.entity;
        const keyCols = entityKey === 'balances' ? [0, 1] : [0];
        const key = keyCols.map((c) => cells[c]).join(',');
        if (d.column) expect(cells[headers.indexOf(d.column)], where).toBe(d.value);
        else expect(key, where).toBe(d.value);
        const earlier = table.slice(1, d.row - 1).filter((r) => keyCols.map((c) => r[c]).join(',') === key);
        expect(earlier.length, where).toBe(1);
        break;
      }
    }
  }
  // Apart from the planted ragged rows, every record has the header's width.
  for (const [file, table] of files) {
    const width = (table[0] as string[]).length;
    const ragged = table.flatMap((r, i) => (r.length !== width ? [i + 1] : []));
    expect(ragged, file).toEqual(defects.filter((d) => d.file === file && d.kind === 'ragged_row').map((d) => d.row));
  }
}

describe('demo --dirty', () => {
  it('plants a handful of each defect kind over customers, transactions and balances, with true row numbers', async () => {
    const run = await generate('dirty', { customers: 2000, dirty: true });
    dirs.push(run.dir);
    const { defects } = run;
    const count = (kind: PlantedDefect['kind']) => defects.filter((d) => d.kind === kind).length;
    expect(count('bad_date')).toBeGreaterThanOrEqual(3);
    expect(count('duplicate_key')).toBeGreaterThanOrEqual(3);
    expect(count('ragged_row')).toBeGreaterThanOrEqual(1);
    expect(count('text_in_number')).toBeGreaterThanOrEqual(3);
    expect(defects.length).toBeLessThanOrEqual(32);
    expect(new Set(defects.map((d) => d.file))).toEqual(new Set(['customers.csv', 'transactions.csv', 'balances.csv']));
    for (const d of defects) {
      if (d.column) expect(COLUMNS[d.entity].map((c) => c.header)).toContain(d.column);
    }
    // Date faults land in date columns, number faults in money columns.
    for (const d of defects.filter((x) => x.kind === 'bad_date')) {
      const type = field(d.entity, COLUMNS[d.entity].find((c) => c.header === d.column)?.field ?? '')?.type;
      expect(['date', 'month']).toContain(type);
    }
    for (const d of defects.filter((x) => x.kind === 'text_in_number')) {
      expect(field(d.entity, COLUMNS[d.entity].find((c) => c.header === d.column)?.field ?? '')?.type).toBe('money');
    }
    verify(run.dir, defects, 'utf-8');

    // The file's row count includes the extra duplicate rows.
    const customers = run.files.find((f) => f.entity === 'customers');
    expect(customers?.rows).toBe(2000 + defects.filter((d) => d.entity === 'customers' && d.kind === 'duplicate_key').length);
  });

  it('salts only the defect rows: everything else matches the clean run', async () => {
    const clean = await generate('clean-ref', { customers: 2000 });
    const dirty = await generate('dirty-ref', { customers: 2000, dirty: true });
    dirs.push(clean.dir, dirty.dir);
    for (const file of ['customers.csv', 'transactions.csv', 'balances.csv']) {
      const a = parseCsv(readText(join(clean.dir, file)));
      const b = parseCsv(readText(join(dirty.dir, file)));
      const inserted = new Set(dirty.defects.filter((d) => d.file === file && d.kind === 'duplicate_key' && file !== 'transactions.csv').map((d) => d.row));
      const salted = new Set(dirty.defects.filter((d) => d.file === file).map((d) => d.row));
      const kept = b.filter((_, i) => !inserted.has(i + 1));
      expect(kept.length).toBe(a.length);
      const changed = kept.flatMap((r, i) => (r.join(',') !== (a[i] as string[]).join(',') ? [i + 1] : []));
      // Changed rows are exactly the salted ones (row numbers shifted back over inserted copies).
      const shift = (row: number) => row - [...inserted].filter((r) => r < row).length;
      expect(changed).toEqual([...salted].filter((r) => !inserted.has(r)).map(shift).sort((x, y) => x - y));
    }
    // Files without faults are untouched.
    for (const file of ['holdings.csv', 'interactions.csv', 'campaign_responses.csv']) {
      const hash = (d: string) => createHash('sha256').update(readFileSync(join(d, file))).digest('hex');
      expect(hash(dirty.dir), file).toBe(hash(clean.dir));
    }
  });

  it('reports the same defects in a GB18030 run, found at their rows after decoding', async () => {
    const utf8 = await generate('dirty-utf8', { customers: 1500, dirty: true, seed: 99 });
    const gbk = await generate('dirty-gbk', { customers: 1500, dirty: true, seed: 99, encoding: 'gb18030' });
    dirs.push(utf8.dir, gbk.dir);
    expect(gbk.defects).toEqual(utf8.defects);
    expect(gbk.defects.length).toBeGreaterThan(10);
    verify(gbk.dir, gbk.defects, 'gb18030');
  });

  it('puts customer-file faults where they cascade least', async () => {
    const run = await generate('dirty-cascade', { customers: 2000, dirty: true });
    dirs.push(run.dir);
    const table = parseCsv(readText(join(run.dir, 'customers.csv')));
    for (const d of run.defects.filter((x) => x.entity === 'customers' && x.kind === 'bad_date')) {
      // A bad date goes to a customer opened in the last six months: few dependent rows.
      const open = (table[d.row - 1] as string[])[13] as string;
      if (d.column === '开户日期') expect(open).toMatch(/^二〇二[五六]年$/);
      else expect(open >= '2026-04-30').toBe(true);
    }
  });
});
