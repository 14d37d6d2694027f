import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES, type EntityKey, entity } from '../../../shared/dictionary';
import { INVALID, parserFor } from '../../../shared/values';
import { type DemoFile, generateDemoFiles } from '../../../electron/engine/demo';
import { COLUMNS, SHEET_NAMES } from '../../../electron/engine/demo/headers';
import { demoOptions, generate, readCsv, readText, removeDir, tempDir } from './helpers';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
  return out;
}

async function sheetRows(path: string): Promise<{ sheet: string; rows: string[][] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error(`no sheet in ${path}`);
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      const value = row.getCell(c).value;
      cells.push(value === null || value === undefined ? '' : String(value));
    }
    rows.push(cells);
  });
  return { sheet: sheet.name, rows };
}

/** Headers and rows of any demo file, CSV or XLSX, as text. */
async function table(file: DemoFile, encoding: 'utf-8' | 'gb18030' = 'utf-8'): Promise<{ headers: string[]; rows: string[][] }> {
  if (file.format === 'csv') return readCsv(file.path, encoding);
  const { rows } = await sheetRows(file.path);
  const [headers = [], ...data] = rows;
  return { headers, rows: data };
}

// How the importer's automatic mapping will compare headers: case, spaces and brackets do not count.
// Whether a bracket's content is dropped or kept is the lead's choice, so both readings must match.
const normaliseKeep = (h: string) => h.toLowerCase().replace(/[\s()（）[\]【】]/g, '');
const normaliseDrop = (h: string) => h.toLowerCase().replace(/[(（[【][^)）\]】]*[)）\]】]/g, '').replace(/\s/g, '');

describe('demo files', () => {
  let clean: Awaited<ReturnType<typeof generate>>;
  beforeAll(async () => {
    clean = await generate('clean');
    dirs.push(clean.dir);
  });

  it('lists one file per entity, in the dictionary import order', () => {
    expect(clean.files.map((f) => f.entity)).toEqual(ENTITIES.map((e) => e.key));
    for (const f of clean.files) {
      expect(existsSync(f.path)).toBe(true);
      expect(f.format).toBe(['communities', 'managers', 'products'].includes(f.entity) ? 'xlsx' : 'csv');
    }
    expect(clean.defects).toEqual([]);
  });

  it('reports the row counts the files hold', async () => {
    for (const f of clean.files) {
      const { rows } = await table(f);
      expect(rows.length, f.entity).toBe(f.rows);
    }
    const rows = Object.fromEntries(clean.files.map((f) => [f.entity, f.rows])) as Record<EntityKey, number>;
    expect(rows.communities).toBe(12);
    expect(rows.managers).toBe(20);
    expect(rows.products).toBe(30);
    expect(rows.customers).toBe(1000);
    // At most 24 balance months per customer; only new customers have fewer.
    expect(rows.balances).toBeLessThanOrEqual(24_000);
    expect(rows.balances).toBeGreaterThan(21_000);
    expect(rows.holdings).toBeGreaterThan(2000);
    expect(rows.interactions).toBeGreaterThan(1000);
    expect(rows.campaign_responses).toBeGreaterThan(50);
  });

  it('writes only headers that are dictionary synonyms of the intended field, unambiguously', async () => {
    for (const f of clean.files) {
      const { headers } = await table(f);
      const def = entity(f.entity);
      expect(headers).toEqual(COLUMNS[f.entity].map((c) => c.header));
      for (const [i, header] of headers.entries()) {
        const intended = COLUMNS[f.entity][i]?.field;
        for (const normalise of [normaliseKeep, normaliseDrop]) {
          const matches = def.fields.filter((field) => field.synonyms.some((s) => normalise(s) === normalise(header))).map((field) => field.key);
          expect(matches, `${f.entity}: ${header}`).toEqual([intended]);
        }
      }
      // Every field of the entity is present.
      expect(new Set(COLUMNS[f.entity].map((c) => c.field))).toEqual(new Set(def.fields.map((field) => field.key)));
    }
  });

  it('varies the customer-number header across files, as different systems do', () => {
    const customerHeaders = new Set(
      (['customers', 'holdings', 'balances', 'transactions', 'interactions', 'campaign_responses'] as const).map((e) => COLUMNS[e].find((c) => c.field === 'customer_id')?.header),
    );
    expect(customerHeaders.size).toBeGreaterThanOrEqual(3);
  });

  it('writes every cell in a spelling the importer parses, and fills required fields', async () => {
    for (const f of clean.files) {
      const { headers, rows } = await table(f);
      const def = entity(f.entity);
      const parsers = headers.map((_, i) => {
        const fieldDef = def.fields.find((field) => field.key === COLUMNS[f.entity][i]?.field);
        if (!fieldDef) throw new Error(`no field for ${headers[i]}`);
        return { fieldDef, parse: parserFor(fieldDef) };
      });
      const failure = { message: '' };
      for (const [r, row] of rows.entries()) {
        expect(row.length, `${f.entity} row ${r + 2}`).toBe(headers.length);
        for (const [c, cell] of row.entries()) {
          const { fieldDef, parse } = parsers[c] as (typeof parsers)[number];
          const value = parse(cell, failure);
          if (value === INVALID || (fieldDef.required && value === null)) {
            throw new Error(`${f.entity} row ${r + 2} ${headers[c]}: "${cell}" ${failure.message}`);
          }
        }
      }
    }
  });

  it('uses unique keys and only known customers and products', async () => {
    const byEntity = Object.fromEntries(await Promise.all(clean.files.map(async (f) => [f.entity, await table(f)] as const))) as Record<EntityKey, { headers: string[]; rows: string[][] }>;
    const customers = new Set(byEntity.customers.rows.map((r) => r[0]));
    const products = new Set(byEntity.products.rows.map((r) => r[0]));
    expect(customers.size).toBe(byEntity.customers.rows.length);
    for (const e of ENTITIES) {
      const { rows } = byEntity[e.key];
      const keyIdx = e.keyFields.map((k) => COLUMNS[e.key].findIndex((c) => c.field === k));
      const keys = new Set(rows.map((r) => keyIdx.map((i) => r[i]).join('|')));
      expect(keys.size, `${e.key} keys`).toBe(rows.length);
      const custIdx = COLUMNS[e.key].findIndex((c) => c.field === 'customer_id');
      if (custIdx >= 0 && e.key !== 'customers') for (const r of rows) expect(customers.has(r[custIdx])).toBe(true);
      const prodIdx = COLUMNS[e.key].findIndex((c) => c.field === 'product_id');
      if (prodIdx >= 0 && e.key !== 'products') for (const r of rows) if (r[prodIdx]) expect(products.has(r[prodIdx])).toBe(true);
    }
  });

  it('opens every holding within the product age limits and after the customer account', async () => {
    const get = (e: EntityKey) => table(clean.files.find((f) => f.entity === e) as DemoFile);
    const [customers, products, holdings] = await Promise.all([get('customers'), get('products'), get('holdings')]);
    const born = new Map(customers.rows.map((r) => [r[0], r[3] as string]));
    const opened = new Map(customers.rows.map((r) => [r[0], r[13] as string]));
    const limits = new Map(products.rows.map((r) => [r[0], [r[6] === '' ? 0 : Number(r[6]), r[7] === '' ? 200 : Number(r[7])] as const]));
    const ageOn = (birth: string, on: string) => Number(on.slice(0, 4)) - Number(birth.slice(0, 4)) - (on.slice(5) < birth.slice(5) ? 1 : 0);
    const problems: string[] = [];
    for (const [customer, productId, openedAt, closedAt] of holdings.rows as [string, string, string, string][]) {
      const [min, max] = limits.get(productId) ?? [0, 200];
      const age = ageOn(born.get(customer) as string, openedAt);
      if (age < min || age > max) problems.push(`${customer} ${productId} opened at ${age}`);
      if (openedAt < (opened.get(customer) as string)) problems.push(`${customer} ${productId} before the account`);
      if (closedAt && closedAt < openedAt) problems.push(`${customer} ${productId} closed before opened`);
    }
    expect(problems).toEqual([]);
  });

  it('writes well-formed identifiers: customer numbers, names, ID numbers, mobiles', async () => {
    const { rows } = await table(clean.files.find((f) => f.entity === 'customers') as DemoFile);
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const mobiles = new Set<string>();
    for (const [id, name, gender, birth, idNumber, mobile] of rows as string[][]) {
      expect(id).toMatch(/^C\d{8}$/);
      expect(name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
      expect(idNumber).toMatch(/^\d{17}[\dX]$/);
      const sum = weights.reduce((s, w, i) => s + w * Number((idNumber as string)[i]), 0);
      expect((idNumber as string)[17]).toBe('10X98765432'[sum % 11]);
      expect((idNumber as string).slice(6, 14)).toBe((birth as string).replace(/-/g, ''));
      expect(Number((idNumber as string)[16]) % 2).toBe(gender === '男' ? 1 : 0);
      expect(mobile).toMatch(/^1[3-9]\d{9}$/);
      mobiles.add(mobile as string);
    }
    expect(mobiles.size).toBeGreaterThan(rows.length * 0.99);
  });

  it('writes XLSX reference tables with a Chinese sheet name and the header row', async () => {
    for (const f of clean.files.filter((file) => file.format === 'xlsx')) {
      const { sheet, rows } = await sheetRows(f.path);
      expect(sheet).toBe(SHEET_NAMES[f.entity]);
      expect(rows[0]).toEqual(COLUMNS[f.entity].map((c) => c.header));
      expect(rows.length - 1).toBe(f.rows);
    }
  });

  it('covers every product category with R1–R5 ratings, age limits and a few products off sale', async () => {
    const products = await table(clean.files.find((f) => f.entity === 'products') as DemoFile);
    const parse = (field: string) => {
      const def = entity('products').fields.find((x) => x.key === field);
      const col = COLUMNS.products.findIndex((c) => c.field === field);
      const parser = parserFor(def as NonNullable<typeof def>);
      return products.rows.map((r) => parser(r[col] as string, { message: '' }));
    };
    const categories = new Set(parse('category'));
    for (const c of entity('products').fields.find((x) => x.key === 'category')?.enumValues ?? []) expect(categories.has(c)).toBe(true);
    expect(new Set(parse('risk_rating'))).toEqual(new Set(['R1', 'R2', 'R3', 'R4', 'R5']));
    const active = parse('active');
    expect(active.filter((a) => a === 0).length).toBeGreaterThan(0);
    expect(active.filter((a) => a === 1).length).toBeGreaterThan(25);
    expect(parse('max_age').filter((a) => a === 60).length).toBeGreaterThan(0);
    // Minimum amounts come in several spellings (1万, 50,000.00, 1000) and still parse.
    const raw = products.rows.map((r) => r[COLUMNS.products.findIndex((c) => c.field === 'min_amount')] as string);
    expect(raw.some((v) => v.includes('万'))).toBe(true);
    expect(raw.some((v) => v.includes(','))).toBe(true);
  });

  it('is byte-identical for the same options, and different for another seed', async () => {
    const again = await generate('again');
    dirs.push(again.dir);
    expect(hashes(again.dir)).toEqual(hashes(clean.dir));
    const other = await generate('other-seed', { seed: 7 });
    dirs.push(other.dir);
    const a = hashes(clean.dir);
    const b = hashes(other.dir);
    expect(b['customers.csv']).not.toBe(a['customers.csv']);
    expect(b['products.xlsx']).toBe(a['products.xlsx']);
  });

  it('keeps customers, holdings and balances when only the transaction rate changes', async () => {
    const busier = await generate('busier', { txPerYear: 30 });
    dirs.push(busier.dir);
    const a = hashes(clean.dir);
    const b = hashes(busier.dir);
    for (const name of ['customers.csv', 'holdings.csv', 'balances.csv', 'campaign_responses.csv']) expect(b[name], name).toBe(a[name]);
    expect(b['transactions.csv']).not.toBe(a['transactions.csv']);
    const ratio = (busier.files.find((f) => f.entity === 'transactions')?.rows ?? 0) / (clean.files.find((f) => f.entity === 'transactions')?.rows ?? 1);
    expect(ratio).toBeGreaterThan(2);
    expect(ratio).toBeLessThan(3);
  });

  it('gives customer n the same record whatever the branch size', async () => {
    const bigger = await generate('bigger', { customers: 1500, txPerYear: 2 });
    dirs.push(bigger.dir);
    const small = readText(join(clean.dir, 'customers.csv'));
    const large = readText(join(bigger.dir, 'customers.csv'));
    expect(large.startsWith(small)).toBe(true);
  });

  it('writes GB18030 that decodes to the same text as the UTF-8 files', async () => {
    const gbk = await generate('gbk', { encoding: 'gb18030' });
    dirs.push(gbk.dir);
    for (const f of gbk.files.filter((file) => file.format === 'csv')) {
      const bytes = readFileSync(f.path);
      expect(bytes[0]).not.toBe(0xef); // no BOM
      expect(readText(f.path, 'gb18030')).toBe(readText(join(clean.dir, `${f.entity}.csv`)));
    }
    const utf8 = readFileSync(join(clean.dir, 'customers.csv'));
    expect([...utf8.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readText(join(gbk.dir, 'customers.csv'), 'gb18030').startsWith('客户号,客户姓名,性别')).toBe(true);
  });

  it('reports progress in Chinese phases and stops cleanly when cancelled', async () => {
    const phases = new Set<string>();
    let lastDone = 0;
    const dir = tempDir('progress');
    dirs.push(dir);
    await generateDemoFiles(demoOptions(dir, { customers: 3000, txPerYear: 1 }), {
      onProgress: (phase, done, total) => {
        phases.add(phase);
        if (phase === '生成客户与交易流水') {
          expect(done).toBeGreaterThanOrEqual(lastDone);
          expect(total).toBe(3000);
          lastDone = done;
        }
      },
    });
    expect(lastDone).toBe(3000);
    expect([...phases].every((p) => /[\u4e00-\u9fa5]/.test(p))).toBe(true);
    expect(phases.has('生成客户与交易流水')).toBe(true);

    const cancelledDir = tempDir('cancelled');
    dirs.push(cancelledDir);
    let checks = 0;
    const run = generateDemoFiles(demoOptions(cancelledDir, { customers: 10_000, txPerYear: 1 }), {
      throwIfCancelled: () => {
        if (++checks === 5) throw new Error('cancelled');
      },
    });
    await expect(run).rejects.toThrow('cancelled');
    expect(readdirSync(cancelledDir)).toEqual([]);
  });

  it('rejects options it cannot honour', async () => {
    const dir = tempDir('invalid');
    dirs.push(dir);
    await expect(generateDemoFiles(demoOptions(dir, { endMonth: '2026-13' }))).rejects.toThrow(/endMonth/);
    await expect(generateDemoFiles(demoOptions(dir, { customers: 0 }))).rejects.toThrow(/customers/);
    await expect(generateDemoFiles(demoOptions(dir, { txPerYear: -1 }))).rejects.toThrow(/txPerYear/);
  });
});
