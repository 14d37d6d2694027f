/**
 * A community register from a branch's own spreadsheet: coordinates, grid membership and the grid's manager
 * map from their Chinese headers without help, and the snapshot rolls the communities up into their grids
 * and places them for the map. Customers of a community the register does not know are counted apart.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { standaloneJobContext } from '../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { analyzeCommunities } from '../../../electron/engine/community/analyze-job';
import { rankCommunities } from '../../../electron/engine/community/ranking';
import { communityRollup } from '../../../electron/engine/community/rollups';
import { readUnits } from '../../../electron/engine/community/snapshot-store';
import { importFile } from '../../../electron/engine/import/importer';
import { previewImport } from '../../../electron/engine/import/preview';
import { tempDir } from '../../support/temp';
import { writeCsv } from '../../support/workspace';

const dir = tempDir('bpw-community-register-');
let db: Db;
const ctx = () => standaloneJobContext(db);

const REGISTER = [
  '社区编号,社区名称,网格编号,网格名称,总户数,常住人口,60岁以上占比,平均房价,管户经理,经度,纬度,网格长',
  'K1,幸福里社区,G1,一网格,1200,3000,30%,21000,M1,118.700,32.050,M1',
  'K2,阳光花园,G1,一网格,800,2100,10%,35000,M2,118.720,32.040,M1',
  'K3,新村,G2,二网格,500,1500,20%,,M2,118.760,32.010,M2',
];

beforeAll(async () => {
  db = openWorkspace(join(dir, 'register.bpw'), { create: true });
  const customers = ['客户号,客户姓名,出生日期,开户日期,所属社区,客户经理'];
  for (let i = 0; i < 60; i++) customers.push(`C${i},客户${i},${1950 + (i % 50)}-03-01,2020-01-01,${['K1', 'K2', 'K3', 'K9'][i % 4]},${i % 2 ? 'M1' : 'M2'}`);
  await importFile(ctx(), { entity: 'managers', policy: 'reject', file: writeCsv(join(dir, 'managers.csv'), ['客户经理号,客户经理姓名,所属团队', 'M1,甲经理,社区金融团队', 'M2,乙经理,社区金融团队']) });
  await importFile(ctx(), { entity: 'communities', policy: 'reject', file: writeCsv(join(dir, 'communities.csv'), REGISTER) });
  await importFile(ctx(), { entity: 'customers', policy: 'reject', file: writeCsv(join(dir, 'customers.csv'), customers) });
});

describe('community register', () => {
  it('maps coordinates and the grid manager from their headers', async () => {
    const preview = await previewImport({ file: join(dir, 'communities.csv'), entity: 'communities' });
    expect(preview.mapping.columns).toMatchObject({ 经度: 'longitude', 纬度: 'latitude', 网格长: 'grid_manager_id', 网格编号: 'grid_id' });
    expect(db.prepare("SELECT longitude, latitude, grid_manager_id FROM communities WHERE community_id = 'K2'").get()).toEqual({ longitude: 118.72, latitude: 32.04, grid_manager_id: 'M1' });
  });

  it('ranks every community of the register, rolls them up into grids and counts unknown communities apart', async () => {
    const snapshot = await analyzeCommunities(ctx(), {});
    expect(snapshot.communities).toBe(3);
    const ranking = rankCommunities(db)!;
    expect(ranking.communities.map((c) => c.communityId).sort()).toEqual(['K1', 'K2', 'K3']);
    expect(ranking.communities.find((c) => c.communityId === 'K2')).toMatchObject({ longitude: 118.72, latitude: 32.04, customers: 15, households: 800, penetration: 15 / 800 });
    // K9 is not in the register: its 15 customers belong to no community.
    expect(ranking.run.unassignedCustomers).toBe(15);
    expect(ranking.run.notes).toEqual(expect.arrayContaining([expect.stringContaining('没有月日均资产')]));

    const grids = readUnits(db, snapshot.runId, 'grid');
    const g1 = grids.find((g) => g.id === 'G1')!;
    expect(g1).toMatchObject({ name: '一网格', managerId: 'M1', communities: 2 });
    expect(g1.measures.households).toBe(2000);
    expect(g1.measures.customers).toBe(30);
    // Residents aged 60+ weighted by population: (0.3 × 3000 + 0.1 × 2100) ÷ 5100.
    expect(g1.measures.residentAge60Share).toBeCloseTo((0.3 * 3000 + 0.1 * 2100) / 5100, 10);
    const rollup = communityRollup(db, 'grid');
    expect(rollup.find((g) => g.id === 'G2')).toMatchObject({ customers: 15, households: 500, penetration: 15 / 500 });
  });
});
