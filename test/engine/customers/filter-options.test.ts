import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerFilterOptions } from '../../../electron/engine/customers/filter-options';
import { EngineHost } from '../../../electron/engine/host';
import { seedCustomers, tempWorkspace, type FixtureCustomer, type TempWorkspace } from './fixture';

describe('customer list query form options', () => {
  let ws: TempWorkspace;
  let customers: FixtureCustomer[];

  beforeAll(() => {
    ws = tempWorkspace();
    customers = seedCustomers(ws.db, 200);
    // A manager without customers, and a community code that has no reference row.
    ws.db.prepare("INSERT INTO managers (manager_id, name, team) VALUES ('M009', '新经理', '二组')").run();
    ws.db.prepare("UPDATE customers SET community_id = 'SQ999' WHERE customer_id = 'C00001'").run();
    customers[0]!.community_id = 'SQ999';
  });
  afterAll(() => ws.close());

  it('offers every community and manager by name with its head count, codes without a name as themselves', () => {
    const options = customerFilterOptions(ws.db);
    const countOf = (key: 'community_id' | 'manager_id', id: string) => customers.filter((c) => c[key] === id).length;
    expect(options.communities.map((c) => c.id)).toEqual(['SQ001', 'SQ002', 'SQ003', 'SQ004', 'SQ005', 'SQ999']);
    expect(options.communities[0]).toEqual({ id: 'SQ001', name: '第1社区', customers: countOf('community_id', 'SQ001') });
    expect(options.communities.at(-1)).toEqual({ id: 'SQ999', name: 'SQ999', customers: 1 });
    expect(options.managers.find((m) => m.id === 'M009')).toEqual({ id: 'M009', name: '新经理', customers: 0 });
    expect(options.managers.find((m) => m.id === 'M002')).toEqual({ id: 'M002', name: '经理2', customers: countOf('manager_id', 'M002') });
    // The fixture varies every column.
    expect(options.constantColumns).toEqual([]);
  });

  it('names the columns in which every customer has the same value', () => {
    ws.db.prepare("UPDATE customers SET customer_type = 'individual'").run();
    ws.db.prepare('UPDATE customers SET occupation = NULL').run();
    expect(customerFilterOptions(ws.db).constantColumns).toEqual(['occupation', 'customer_type']);
  });

  it('answers on the demo branch through the query channel: 12 communities and 20 managers', async () => {
    const host = new EngineHost();
    const path = `${ws.dir}/demo.bpw`;
    try {
      await host.runJob('demo.create', { path, customers: 1000, txPerYear: 4, months: 12, analyze: false });
      await host.call('workspace.open', { path });
      const options = await host.call('customers.filterOptions', {});
      expect(options.communities).toHaveLength(12);
      expect(options.managers).toHaveLength(20);
      expect(options.communities.reduce((s, c) => s + c.customers, 0)).toBeLessThanOrEqual(1000);
      expect(options.communities.every((c) => c.name !== c.id)).toBe(true);
    } finally {
      await host.close();
    }
  });
});
