import { describe, expect, it } from 'vitest';
import { applyEncoding, encodeTable } from '../../../electron/engine/analytics/forest/tabular';

const header = ['age', 'job', 'balance', 'call_seconds', 'y'];
const rows = [
  ['30', 'admin.', '100.5', '12', 'no'],
  ['41', 'technician', '-20', '300', 'yes'],
  ['', 'admin.', '1e3', '5', 'no'],
  ['55', 'retired', 'NA', '42', 'yes'],
];

describe('encodeTable', () => {
  it('detects numeric and categorical columns and encodes levels as sorted ordinal codes', () => {
    const table = encodeTable(header, rows, { target: 'y', exclude: ['call_seconds'] });
    expect(table.featureNames).toEqual(['age', 'job', 'balance']);
    expect(table.encoding.columns.map((c) => c.kind)).toEqual(['numeric', 'categorical', 'numeric']);
    expect(table.encoding.columns[1].levels).toEqual(['admin.', 'retired', 'technician']);
    const { data, rows: n } = table.X;
    expect(Array.from(data.subarray(0, n))).toEqual([30, 41, Number.NaN, 55]);
    expect(Array.from(data.subarray(n, 2 * n))).toEqual([0, 2, 0, 1]);
    expect(Array.from(data.subarray(2 * n, 3 * n))).toEqual([100.5, -20, 1000, Number.NaN]);
    expect(Array.from(table.y)).toEqual([0, 1, 0, 1]);
    expect(table.encoding.targetKind).toBe('binary');
    expect(table.encoding.targetLevels).toEqual(['no', 'yes']);
  });

  it('one-hot encodes categoricals as 0/1 columns named column=level', () => {
    const table = encodeTable(header, rows, { target: 'y', categorical: 'onehot' });
    expect(table.featureNames).toEqual(['age', 'job=admin.', 'job=retired', 'job=technician', 'balance', 'call_seconds']);
    const n = table.X.rows;
    expect(Array.from(table.X.data.subarray(3 * n, 4 * n))).toEqual([0, 1, 0, 0]);
  });

  it('takes the positive label from the caller, and multiclass or numeric targets as they are', () => {
    expect(Array.from(encodeTable(header, rows, { target: 'y', positiveLabel: 'no' }).y)).toEqual([1, 0, 1, 0]);
    const byJob = encodeTable(header, rows, { target: 'job' });
    expect(byJob.encoding.targetKind).toBe('multiclass');
    expect(Array.from(byJob.y)).toEqual([0, 2, 0, 1]);
    const bySeconds = encodeTable(header, rows, { target: 'call_seconds' });
    expect(bySeconds.encoding.targetKind).toBe('numeric');
    expect(Array.from(bySeconds.y)).toEqual([12, 300, 5, 42]);
  });

  it('encodes new rows the same way, unseen levels as missing', () => {
    const table = encodeTable(header, rows, { target: 'y', exclude: ['call_seconds'] });
    const fresh = applyEncoding(table.encoding, ['job', 'age', 'balance'], [['retired', '60', '5'], ['student', '20', '0']]);
    expect(Array.from(fresh.data)).toEqual([60, 20, 1, Number.NaN, 5, 0]);
  });

  it('explains what is wrong with a table', () => {
    expect(() => encodeTable(header, rows, { target: 'z' })).toThrow(/target column "z"/);
    expect(() => encodeTable(header, rows, { target: 'y', exclude: ['nope'] })).toThrow(/"nope"/);
    expect(() => encodeTable(header, [...rows, ['1', 'x']], { target: 'y' })).toThrow(/Row 5 has 2 cells/);
    expect(() => encodeTable(header, [...rows, ['1', 'x', '2', '3', '']], { target: 'y' })).toThrow(/missing in row 5/);
    expect(() => encodeTable(header, rows.map((r) => [...r.slice(0, 4), 'no']), { target: 'y' })).toThrow(/single value/);
  });
});
