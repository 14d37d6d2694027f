import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSource, previewSource } from '../../../electron/engine/import/source';
import { collect } from './source-helpers';

const dataset = (p: string) => fileURLToPath(new URL(`../../../../shared/datasets/${p}`, import.meta.url));

describe('real public datasets', () => {
  it('reads UCI bank marketing (semicolons, 45,211 rows)', async () => {
    const source = await openSource({ file: dataset('uci-bank-marketing/bank-full.csv') });
    expect(source).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ';' });
    expect(source.headers).toEqual(['age', 'job', 'marital', 'education', 'default', 'balance', 'housing', 'loan', 'contact', 'day', 'month', 'duration', 'campaign', 'pdays', 'previous', 'poutcome', 'y']);
    const { rows } = await collect(source);
    expect(rows).toHaveLength(45_211);
    expect(rows[0]).toEqual({ row: 2, cells: ['58', 'management', 'married', 'tertiary', 'no', '2143', 'yes', 'no', 'unknown', '5', 'may', '261', '1', '-1', '0', 'unknown', 'no'] });
    expect(rows.at(-1)!.row).toBe(45_212);
    expect(rows.every((r) => r.cells.length === 17)).toBe(true);
    expect(new Set(rows.map((r) => r.cells[16]))).toEqual(new Set(['yes', 'no']));
  });

  it('reads Berka client.asc (semicolons, quoted, CRLF, 5,369 rows)', async () => {
    const source = await openSource({ file: dataset('berka-pkdd99/client.asc') });
    expect(source).toMatchObject({ delimiter: ';', headers: ['client_id', 'birth_number', 'district_id'] });
    const { rows } = await collect(source);
    expect(rows).toHaveLength(5_369);
    expect(rows[0]).toEqual({ row: 2, cells: ['1', '706213', '18'] });
    expect(rows.at(-1)).toEqual({ row: 5_370, cells: ['13998', '535812', '74'] });
    expect(rows.some((r) => r.cells.some((c) => c.includes('"') || c.includes('\r')))).toBe(false);
  });

  it('reads every Berka table with the row count the dataset documents', async () => {
    const counts: Record<string, number> = { 'account.asc': 4_500, 'disp.asc': 5_369, 'district.asc': 77, 'loan.asc': 682, 'card.asc': 892, 'order.asc': 6_471 };
    for (const [name, count] of Object.entries(counts)) {
      const source = await openSource({ file: dataset(`berka-pkdd99/${name}`) });
      expect(source.delimiter, name).toBe(';');
      const { rows } = await collect(source);
      expect(rows, name).toHaveLength(count);
      expect(rows.every((r) => r.cells.length === source.headers.length), name).toBe(true);
    }
  });

  it('previews the start of bank-full.csv', async () => {
    const { info, rows } = await previewSource({ file: dataset('uci-bank-marketing/bank-full.csv') }, 100);
    expect(info.headers).toHaveLength(17);
    expect(rows).toHaveLength(100);
  });
});
