/** Pure renderer logic: number formats, filter compilation and the export form of table cells. */
import { describe, expect, it } from 'vitest';
import { exportCell, displayCell } from '../../renderer/src/components/table';
import { filterFields, filterIssues, isBaseField, toRule, type FilterCondition } from '../../renderer/src/features/customers/filter';
import { exportFileName, formatDate, formatInt, formatPct, formatWan, toWan } from '../../renderer/src/utils/format';

const cond = (field: string, op: FilterCondition['op'], value = '', extra: Partial<FilterCondition> = {}): FilterCondition => ({ id: 1, field, op, value, value2: '', values: [], ...extra });

describe('formats', () => {
  it('writes amounts as a Chinese bank report does', () => {
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatWan(1_234_500)).toBe('123.45');
    expect(toWan(1_234_567)).toBe(123.46);
    expect(formatPct(0.873)).toBe('87.3%');
    expect(formatDate('2024-06-30T12:00:00Z')).toBe('2024-06-30');
    expect(formatWan(null)).toBe('—');
  });

  it('names export files safely with the date', () => {
    expect(exportFileName('客户列表: 筛选/女')).toMatch(/^客户列表_筛选_女_\d{4}-\d{2}-\d{2}\.xlsx$/);
  });
});

describe('customer filter', () => {
  it('compiles conditions to { all: [...] } with typed values', () => {
    const rule = toRule([cond('gender', '=', 'F'), cond('age', 'between', '30', { value2: '45' }), cond('risk_level', 'in', '', { values: ['C3', 'C4'] }), cond('manager_name', 'is_null')]);
    expect(rule).toEqual({
      all: [
        { field: 'gender', op: '=', value: 'F' },
        { field: 'age', op: 'between', value: [30, 45] },
        { field: 'risk_level', op: 'in', value: ['C3', 'C4'] },
        { field: 'manager_name', op: 'is_null', value: true },
      ],
    });
    expect(filterIssues(rule)).toEqual([]);
  });

  it('has no rule without conditions and explains bad values in Chinese', () => {
    expect(toRule([])).toBeUndefined();
    const issues = filterIssues(toRule([cond('age', '>', 'abc')]));
    expect(issues.length).toBe(1);
    expect(issues[0]).toMatch(/[\u4e00-\u9fff]/);
  });

  it('never offers ID number or mobile, and marks analysis fields as needing a run', () => {
    const keys = filterFields.map((f) => f.key);
    expect(keys).not.toContain('id_number');
    expect(keys).not.toContain('mobile');
    expect(keys).toContain('value_tier');
    expect(isBaseField('value_tier')).toBe(false);
    expect(isBaseField('gender')).toBe(true);
  });
});

describe('table cells', () => {
  it('export numbers in the unit of the label and enums by name', () => {
    const row = { aum: 1_234_500, share: 0.4567, risk: 'C2', day: '2024-01-02' };
    expect(exportCell({ key: 'aum', label: '资产(万元)', kind: 'wan' }, row)).toBe(123.45);
    expect(displayCell({ key: 'aum', label: '资产(万元)', kind: 'wan' }, row)).toBe('123.45');
    expect(exportCell({ key: 'share', label: '占比(%)', kind: 'pct' }, row)).toBe(45.67);
    expect(exportCell({ key: 'risk', label: '风险等级', enumGroup: 'risk_level' }, row)).toBe('C2 稳健型');
    expect(exportCell({ key: 'missing', label: 'x' }, row)).toBeNull();
  });
});
