import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../shared/dictionary';
import { checkMapping, normaliseHeader, suggestMapping } from '../../../electron/engine/import/mapping';

describe('header normalisation', () => {
  it('ignores case, spaces, brackets and units, and keeps the unit as a scale', () => {
    expect(normaliseHeader(' Cust_ID ')).toEqual({ key: 'custid', scale: 1 });
    expect(normaliseHeader('资产余额（万元）')).toEqual({ key: '资产余额', scale: 10_000 });
    expect(normaliseHeader('期限(月)')).toEqual({ key: '期限', scale: 1 });
    expect(normaliseHeader('*客户号')).toEqual({ key: '客户号', scale: 1 });
    expect(normaliseHeader('日均资产万元')).toEqual({ key: '日均资产', scale: 10_000 });
  });
});

describe('suggested mappings', () => {
  it('maps every synonym of DESIGN.md §3 for customers', () => {
    for (const header of ['客户号', '客户编号', '客户ID', '客户代码', '核心客户号', 'cust_id', 'customer_id', 'CustomerId', 'client_id']) {
      expect(suggestMapping('customers', [header]).columns[header]).toBe('customer_id');
    }
    const mapping = suggestMapping('customers', ['客户姓名', '证件号码', '手机号码', '性别', '出生日期', '开户日期', '管户经理', '网格编号', '风险测评等级', '测评日期']);
    expect(mapping.columns).toEqual({
      客户姓名: 'name',
      证件号码: 'id_number',
      手机号码: 'mobile',
      性别: 'gender',
      出生日期: 'birth_date',
      开户日期: 'open_date',
      管户经理: 'manager_id',
      网格编号: 'community_id',
      风险测评等级: 'risk_level',
      测评日期: 'risk_assessed_at',
    });
  });

  it('maps every field of every entity by its own label', () => {
    for (const def of ENTITIES) {
      const mapping = suggestMapping(def.key, def.fields.map((f) => f.label));
      expect(Object.values(mapping.columns).sort()).toEqual(def.fields.map((f) => f.key).sort());
    }
  });

  it('carries a unit in the header into a scale', () => {
    const mapping = suggestMapping('balances', ['客户号', '月份', '月日均资产(万元)']);
    expect(mapping.columns['月日均资产(万元)']).toBe('aum');
    expect(mapping.scales).toEqual({ aum: 10_000 });
  });

  it('turns an age column into a birth date transform', () => {
    const mapping = suggestMapping('customers', ['客户号', '年龄']);
    expect(mapping.transforms).toEqual([{ name: 'age_to_birth_date', column: '年龄' }]);
    expect(checkMapping('customers', ['客户号', '年龄'], mapping).problems).toEqual([]);
  });

  it('falls back to headers containing a field name', () => {
    expect(suggestMapping('transactions', ['本期交易金额合计']).columns['本期交易金额合计']).toBe('amount');
  });
});

describe('mapping checks', () => {
  it('names the missing required column and the headers that would match it', () => {
    const { problems } = checkMapping('transactions', ['客户号', '交易日期', '交易金额'], suggestMapping('transactions', ['客户号', '交易日期', '交易金额']));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('缺少必填列：交易流水号');
    expect(problems[0]).toContain('流水号');
  });

  it('refuses two columns for one field and unknown fields', () => {
    const { problems } = checkMapping('customers', ['客户号', '客户编号', '别的'], { columns: { 客户号: 'customer_id', 客户编号: 'customer_id', 别的: 'no_such_field' } });
    expect(problems.join()).toContain('映射到了同一个字段');
    expect(problems.join()).toContain('不存在的字段');
  });

  it('refuses a mapping that names a column the file lacks', () => {
    const { problems } = checkMapping('customers', ['客户号'], { columns: { 客户号: 'customer_id', 姓名: 'name' } });
    expect(problems.join()).toContain('映射中的列“姓名”在文件中不存在');
  });
});
