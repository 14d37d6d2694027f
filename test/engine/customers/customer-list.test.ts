import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPage } from '../../../shared/api';
import type { RuleNode } from '../../../shared/rules';
import { listAudit } from '../../../electron/engine/audit';
import { customerCount, customerPage, customerRowChunks, unmaskCustomer, type CustomerPageRequest } from '../../../electron/engine/customers/customer-list';
import { refreshCustomerSummary } from '../../../electron/engine/customers/customer-summary';
import type { WindowTuning } from '../../../electron/engine/customers/keyset';
import { EngineError } from '../../../electron/engine/errors';
import { writeSettings } from '../../../electron/engine/settings-store';
import { FIXTURE_MONTHS, fixtureAum, fixtureChurn, seedCustomers, seedScores, tempWorkspace, type FixtureCustomer, type TempWorkspace } from './fixture';

const TODAY = '2024-07-01';
const COUNT = 9_000;

type Value = string | number | null;

/** Pages through the whole list; fails on a loop instead of hanging. */
function pageAll(ws: TempWorkspace, request: CustomerPageRequest, windows?: WindowTuning): { ids: string[]; pages: CustomerPage[] } {
  const ids: string[] = [];
  const pages: CustomerPage[] = [];
  let after = request.after;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = customerPage(ws.db, { ...request, ...(after ? { after } : {}) }, { today: TODAY, ...(windows ? { windows } : {}) });
    pages.push(page);
    ids.push(...page.rows.map((r) => r.customer_id));
    if (!page.next) return { ids, pages };
    after = page.next;
  }
  throw new Error('paging did not end');
}

/** Expected order: values present first (by value, then id, both in the walk direction), then NULLs by id. */
function expectedOrder(items: { id: string; value: Value }[], desc: boolean): string[] {
  const sign = desc ? -1 : 1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...items]
    .sort((a, b) => {
      if (a.value === null && b.value !== null) return 1;
      if (a.value !== null && b.value === null) return -1;
      if (a.value !== null && b.value !== null) {
        const byValue = cmp(a.value, b.value);
        if (byValue !== 0) return sign * byValue;
      }
      return sign * cmp(a.id, b.id);
    })
    .map((x) => x.id);
}

const index = (c: FixtureCustomer) => Number(c.customer_id.slice(1));
const aumAvg3m = (c: FixtureCustomer): number | null => {
  const values = FIXTURE_MONTHS.map((_, m) => fixtureAum(index(c), m)).filter((v): v is number => v !== null);
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
};

describe('customer list', () => {
  let ws: TempWorkspace;
  let customers: FixtureCustomer[];

  beforeAll(() => {
    ws = tempWorkspace();
    customers = seedCustomers(ws.db, COUNT);
    // One Latin name, to check that name search ignores case.
    ws.db.prepare("UPDATE customers SET name = 'Zhang Wei' WHERE customer_id = 'C00005'").run();
    // One name with LIKE/GLOB wildcards, which a search must treat as plain characters.
    ws.db.prepare("UPDATE customers SET name = '百分%之_百' WHERE customer_id = 'C00008'").run();
    refreshCustomerSummary(ws.db);
    customers[4]!.name = 'Zhang Wei';
    customers[7]!.name = '百分%之_百';
  });
  afterAll(() => ws.close());

  describe('keyset paging without scores', () => {
    const sorts: { field: string; value: (c: FixtureCustomer) => Value; inverted?: boolean }[] = [
      { field: 'customer_id', value: (c) => c.customer_id },
      { field: 'open_date', value: (c) => c.open_date },
      { field: 'name', value: (c) => c.name },
      { field: 'age', value: (c) => c.birth_date, inverted: true },
      { field: 'risk_level', value: (c) => c.risk_level },
      { field: 'community_id', value: (c) => c.community_id },
      { field: 'aum_avg_3m', value: aumAvg3m },
      { field: 'aum_latest', value: (c) => fixtureAum(index(c), 2) },
    ];
    for (const sort of sorts) {
      for (const direction of ['asc', 'desc'] as const) {
        it(`visits every customer exactly once in ${sort.field} ${direction} order, NULLs last`, () => {
          const { ids } = pageAll(ws, { sort: { field: sort.field, direction }, limit: 997 });
          const walkDesc = sort.inverted ? direction === 'asc' : direction === 'desc';
          expect(ids).toHaveLength(COUNT);
          expect(new Set(ids).size).toBe(COUNT);
          expect(ids).toEqual(expectedOrder(customers.map((c) => ({ id: c.customer_id, value: sort.value(c) })), walkDesc));
        });
      }
    }

    it('crosses the null boundary page by page with small pages', () => {
      // 7 rows a page: many pages end right before, at and after the first NULL.
      const { ids, pages } = pageAll(ws, { sort: { field: 'open_date', direction: 'desc' }, limit: 7, after: { value: '2015-01-02', id: 'C00000' } });
      const expected = expectedOrder(customers.map((c) => ({ id: c.customer_id, value: c.open_date })), true);
      const start = expected.findIndex((id) => customers[Number(id.slice(1)) - 1]!.open_date! < '2015-01-02');
      expect(ids).toEqual(expected.slice(start));
      expect(pages.some((p) => p.next?.value === null)).toBe(true);
      expect(pages.at(-1)!.next).toBeNull();
    });

    it('starts the null section from a cursor with a null value', () => {
      const nulls = customers.filter((c) => c.open_date === null).map((c) => c.customer_id);
      const page = customerPage(ws.db, { sort: { field: 'open_date', direction: 'asc' }, after: { value: null, id: nulls[2]! }, limit: 3 }, { today: TODAY });
      expect(page.rows.map((r) => r.customer_id)).toEqual(nulls.slice(3, 6));
    });

    it('defaults to customer number order and returns next = null on the last page', () => {
      const first = customerPage(ws.db, { limit: 5 }, { today: TODAY });
      expect(first.rows.map((r) => r.customer_id)).toEqual(['C00001', 'C00002', 'C00003', 'C00004', 'C00005']);
      expect(first.next).toEqual({ value: 'C00005', id: 'C00005' });
      const last = customerPage(ws.db, { limit: 5, after: { value: 'C08996', id: 'C08996' } }, { today: TODAY });
      expect(last.rows.map((r) => r.customer_id)).toEqual(['C08997', 'C08998', 'C08999', 'C09000']);
      expect(last.next).toBeNull();
    });

    it('never puts a name or a birth date in the cursor', () => {
      for (const field of ['name', 'age']) {
        const page = customerPage(ws.db, { sort: { field, direction: 'asc' }, limit: 10 }, { today: TODAY });
        expect(page.next).toEqual({ value: null, id: page.rows[9]!.customer_id });
      }
    });

    it('rejects an unknown sort field, a score sort before any analysis, and a mistyped cursor, in Chinese', () => {
      expect(() => customerPage(ws.db, { sort: { field: 'mobile', direction: 'asc' } })).toThrow(/不支持按“mobile”排序/);
      expect(() => customerPage(ws.db, { sort: { field: 'churn_prob', direction: 'desc' } })).toThrow(/需要先运行客户分析/);
      expect(() => customerPage(ws.db, { sort: { field: 'aum_avg_3m', direction: 'desc' }, after: { value: 'abc', id: 'C00001' } })).toThrow(/翻页位置/);
      try {
        customerPage(ws.db, { sort: { field: 'nope', direction: 'asc' } });
      } catch (error) {
        expect(error).toBeInstanceOf(EngineError);
        expect((error as EngineError).code).toBe('bad_input');
      }
    });
  });

  describe('rows', () => {
    it('masks names by default and computes age on the given day', () => {
      const row = customerPage(ws.db, { limit: 1, after: { value: 'C00001', id: 'C00001' } }, { today: TODAY }).rows[0]!;
      const raw = customers[1]!;
      expect(row.customer_id).toBe('C00002');
      expect(row.name).toBe(raw.name!.length === 2 ? `${raw.name![0]}*` : `${raw.name![0]}*${raw.name!.at(-1)}`);
      const [by, bm, bd] = raw.birth_date!.split('-').map(Number) as [number, number, number];
      expect(row.age).toBe(2024 - by - (7 < bm || (7 === bm && 1 < bd) ? 1 : 0));
      expect(row).toMatchObject({ community_id: 'SQ003', community_name: '第3社区', manager_id: 'M003', manager_name: '经理3', aum_latest: 4_000, aum_avg_3m: 3_000 });
      // The mobile is a contact column (issue #10), masked like the name; the ID number never comes.
      expect(row.mobile).toBe(`${raw.mobile!.slice(0, 3)}****${raw.mobile!.slice(-4)}`);
      expect(row).toMatchObject({ consent_marketing: null, do_not_contact: null, last_contact_date: null });
      expect(row).not.toHaveProperty('id_number');
      expect(row).not.toHaveProperty('birth_date');
      // No analysis has run: no score columns at all, so the screen does not show empty ones.
      expect(row).not.toHaveProperty('churn_prob');
      expect(row).not.toHaveProperty('value_tier');
    });

    it('shows raw names when masking is turned off', () => {
      writeSettings(ws.db, { maskPii: false });
      try {
        const row = customerPage(ws.db, { limit: 1 }, { today: TODAY }).rows[0]!;
        expect(row.name).toBe(customers[0]!.name);
      } finally {
        writeSettings(ws.db, { maskPii: true });
      }
    });
  });

  describe('filter through the rule DSL', () => {
    const c1Women: RuleNode = { all: [{ field: 'risk_level', op: '=', value: 'C1' }, { field: 'gender', op: '=', value: '女' }] };
    const isC1Woman = (c: FixtureCustomer) => c.risk_level === 'C1' && c.gender === 'F';

    it('pages a filtered list in a non-key order, complete and in order', () => {
      const { ids } = pageAll(ws, { filter: c1Women, sort: { field: 'open_date', direction: 'desc' }, limit: 50 });
      const expected = expectedOrder(customers.filter(isC1Woman).map((c) => ({ id: c.customer_id, value: c.open_date })), true);
      expect(ids).toEqual(expected);
      expect(customerCount(ws.db, { filter: c1Women })).toBe(expected.length);
    });

    // The default windows; windows so small that pages need several of them; and a budget so small that
    // every page after the first window comes from the planner's fallback.
    const tunings: [string, WindowTuning | undefined][] = [
      ['default windows', undefined],
      ['several windows per page', { first: 40, budget: 2_000 }],
      ['the planner fallback', { first: 1, budget: 1 }],
    ];
    for (const [label, windows] of tunings) {
      it(`pages filters of every selectivity with ${label}, complete and in order`, () => {
        const rare: RuleNode = { all: [{ field: 'manager_id', op: '=', value: 'M002' }, { field: 'open_date', op: '<', value: '2015-01-20' }] };
        const isRare = (c: FixtureCustomer) => c.manager_id === 'M002' && c.open_date !== null && c.open_date < '2015-01-20';
        for (const [filter, test] of [[rare, isRare], [c1Women, isC1Woman]] as const) {
          for (const direction of ['asc', 'desc'] as const) {
            const { ids } = pageAll(ws, { filter, sort: { field: 'name', direction }, limit: 25 }, windows);
            expect(ids).toEqual(expectedOrder(customers.filter(test).map((c) => ({ id: c.customer_id, value: c.name })), direction === 'desc'));
          }
        }
      });
    }

    it('filters on a field from another table (community name) and counts', () => {
      const filter: RuleNode = { field: 'community_name', op: '=', value: '第2社区' };
      const { ids } = pageAll(ws, { filter, sort: { field: 'aum_avg_3m', direction: 'desc' }, limit: 300 });
      const expected = expectedOrder(customers.filter((c) => c.community_id === 'SQ002').map((c) => ({ id: c.customer_id, value: aumAvg3m(c) })), true);
      expect(ids).toEqual(expected);
      expect(customerCount(ws.db, { filter })).toBe(expected.length);
    });

    it('reports a bad rule in Chinese as bad_input', () => {
      const bad = () => customerPage(ws.db, { filter: { field: 'id_number', op: '=', value: '1' } });
      expect(bad).toThrow(EngineError);
      expect(bad).toThrow(/不允许按“证件号码”筛选/);
      expect(() => customerCount(ws.db, { filter: { field: 'value_tier', op: '=', value: 'private' } })).toThrow(/需要先运行客户分析/);
    });
  });

  describe('search', () => {
    it('matches a customer number prefix, also typed in lower case', () => {
      const expected = customers.filter((c) => c.customer_id.startsWith('C012')).map((c) => c.customer_id);
      expect(pageAll(ws, { search: 'C012', limit: 30 }).ids).toEqual(expected);
      expect(pageAll(ws, { search: 'c012', limit: 30 }).ids).toEqual(expected);
      expect(customerCount(ws.db, { search: 'C012' })).toBe(expected.length);
    });

    it('matches a fragment of the name', () => {
      const fragment = customers.find((c) => c.name !== null && [...c.name].length === 3)!.name!.slice(1);
      const expected = customers.filter((c) => c.name?.includes(fragment)).map((c) => c.customer_id);
      expect(expected.length).toBeGreaterThan(0);
      expect(pageAll(ws, { search: fragment, limit: 40 }).ids).toEqual(expected);
      expect(customerCount(ws.db, { search: fragment })).toBe(expected.length);
    });

    it('ignores case in Latin names and treats % and _ as plain characters', () => {
      expect(pageAll(ws, { search: 'zhang w', limit: 10 }).ids).toEqual(['C00005']);
      expect(pageAll(ws, { search: '%之_', limit: 10 }).ids).toEqual(['C00008']);
      expect(pageAll(ws, { search: '_', limit: 10 }).ids).toEqual(['C00008']);
      expect(customerCount(ws.db, { search: '%' })).toBe(1);
    });

    it('pages a broad search (every customer number starts with C) sorted by AUM', () => {
      const { ids } = pageAll(ws, { search: 'C', sort: { field: 'aum_avg_3m', direction: 'asc' }, limit: 800 });
      expect(ids).toEqual(expectedOrder(customers.map((c) => ({ id: c.customer_id, value: aumAvg3m(c) })), false));
      expect(customerCount(ws.db, { search: 'C' })).toBe(COUNT);
    });

    it('combines search and filter', () => {
      const filter: RuleNode = { field: 'gender', op: '=', value: 'M' };
      const expected = customers.filter((c) => c.name?.includes('王') && c.gender === 'M');
      expect(pageAll(ws, { search: '王', filter, sort: { field: 'open_date', direction: 'asc' }, limit: 100 }).ids).toEqual(
        expectedOrder(expected.map((c) => ({ id: c.customer_id, value: c.open_date })), false),
      );
      expect(customerCount(ws.db, { search: '王', filter })).toBe(expected.length);
    });

    it('finds new and renamed customers by name after the refresh that follows an import', () => {
      const db = ws.db;
      db.prepare("INSERT INTO customers (customer_id, name) VALUES ('X00001', '欧阳娜娜'), ('X00002', NULL)").run();
      // Before the refresh the number already works, the name not yet.
      expect(pageAll(ws, { search: 'X0000', limit: 10 }).ids).toEqual(['X00001', 'X00002']);
      expect(pageAll(ws, { search: '阳娜', limit: 10 }).ids).toEqual([]);
      refreshCustomerSummary(db);
      expect(pageAll(ws, { search: '阳娜', limit: 10 }).ids).toEqual(['X00001']);
      db.prepare("UPDATE customers SET name = '司马光' WHERE customer_id = 'X00001'").run();
      db.prepare("UPDATE customers SET name = '诸葛亮' WHERE customer_id = 'X00002'").run();
      refreshCustomerSummary(db);
      expect(pageAll(ws, { search: '阳娜', limit: 10 }).ids).toEqual([]);
      expect(pageAll(ws, { search: '司马', limit: 10 }).ids).toEqual(['X00001']);
      expect(pageAll(ws, { search: '葛', limit: 10 }).ids).toEqual(['X00002']);
      // A deleted customer is gone at once, whatever the character index still holds.
      db.prepare("DELETE FROM customers WHERE customer_id IN ('X00001', 'X00002')").run();
      expect(pageAll(ws, { search: '司马', limit: 10 }).ids).toEqual([]);
    });

    it('sorts customers the summary does not know yet with the unknown AUMs', () => {
      ws.db.prepare("INSERT INTO customers (customer_id, name) VALUES ('Y00001', '新客户')").run();
      try {
        const { ids } = pageAll(ws, { sort: { field: 'aum_avg_3m', direction: 'desc' }, limit: 500 });
        expect(ids).toHaveLength(COUNT + 1);
        const unknown = customers.filter((c) => aumAvg3m(c) === null).map((c) => c.customer_id);
        expect(ids.slice(-unknown.length - 1)).toEqual(['Y00001', ...unknown].sort().reverse());
      } finally {
        ws.db.prepare("DELETE FROM customers WHERE customer_id = 'Y00001'").run();
      }
    });

    it('returns nothing for a search nobody matches', () => {
      expect(customerPage(ws.db, { search: '不存在的名字' })).toEqual({ rows: [], next: null });
      expect(customerCount(ws.db, { search: '不存在的名字' })).toBe(0);
    });
  });

  describe('with an analysis run', () => {
    let runId: number;
    beforeAll(() => {
      runId = seedScores(ws.db, COUNT);
    });

    it('adds the latest run’s scores to the rows', () => {
      const row = customerPage(ws.db, { limit: 1 }, { today: TODAY }).rows[0]!;
      expect(row).toMatchObject({ customer_id: 'C00001', value_tier: 'affluent', lifecycle_stage: 'mature', churn_prob: 0.05 });
      expect(runId).toBeGreaterThan(0);
    });

    for (const direction of ['desc', 'asc'] as const) {
      it(`sorts by churn probability ${direction}, unscored and NULL customers last`, () => {
        const { ids } = pageAll(ws, { sort: { field: 'churn_prob', direction }, limit: 701 });
        const value = (c: FixtureCustomer) => fixtureChurn(index(c)) ?? null;
        expect(ids).toEqual(expectedOrder(customers.map((c) => ({ id: c.customer_id, value: value(c) })), direction === 'desc'));
      });
    }

    it('filters on a score with a sort on a customer column, and pages a filter on the null walk', () => {
      const filter: RuleNode = { field: 'value_tier', op: 'in', value: ['私行', '财富'] };
      const expected = customers.filter((c) => fixtureChurn(index(c)) !== undefined && index(c) % 4 >= 2);
      const { ids } = pageAll(ws, { filter, sort: { field: 'risk_level', direction: 'desc' }, limit: 333 });
      expect(ids).toEqual(expectedOrder(expected.map((c) => ({ id: c.customer_id, value: c.risk_level })), true));
      const churnSorted = pageAll(ws, { filter, sort: { field: 'churn_prob', direction: 'desc' }, limit: 333 }).ids;
      expect(churnSorted).toEqual(expectedOrder(expected.map((c) => ({ id: c.customer_id, value: fixtureChurn(index(c)) ?? null })), true));
    });
  });

  describe('export rows', () => {
    it('yields every matching row once, in chunks', () => {
      const filter: RuleNode = { field: 'risk_level', op: '=', value: 'C3' };
      const chunks = [...customerRowChunks(ws.db, { filter }, 100, { today: TODAY })];
      const ids = chunks.flat().map((r) => r.customer_id);
      expect(ids).toEqual(customers.filter((c) => c.risk_level === 'C3').map((c) => c.customer_id));
      expect(chunks.every((chunk) => chunk.length <= 100)).toBe(true);
    });
  });

  describe('unmask', () => {
    it('returns the raw values and writes the reason to the audit log', () => {
      const raw = customers[1]!;
      const result = unmaskCustomer(ws.db, 'C00002', '  客户来电核实身份  ');
      expect(result).toEqual({ name: raw.name, mobile: raw.mobile, id_number: raw.id_number });
      const entry = listAudit(ws.db, 0, 1).entries[0]!;
      expect(entry).toMatchObject({ action: 'unmask', params: { customerId: 'C00002' }, reason: '客户来电核实身份' });
    });

    it('refuses without a reason and for an unknown customer', () => {
      expect(() => unmaskCustomer(ws.db, 'C00002', '看看')).toThrow(/至少 4 个字/);
      expect(() => unmaskCustomer(ws.db, 'NOPE', '客户来电核实')).toThrow(/找不到客户“NOPE”/);
    });
  });
});
