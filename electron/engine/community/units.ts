/**
 * From the figures of aggregate.ts to the units the snapshot stores: every community of the register (a
 * community without customers is still a row, never folded away), every grid, every manager and the branch,
 * each with the register's own figures (households, population, share of residents aged 60+, house price,
 * coordinates) and the measures that need them (penetration, AUM per household).
 */
import type { CommunityMeasures, CommunityScope, CommunityUnit } from '../../../shared/community-types';
import { PRODUCT_CATEGORIES } from '../../../shared/dictionary';
import type { Db } from '../db/workspace';
import type { UnitFigures } from './aggregate';

export interface RegisterCommunity {
  community_id: string;
  name: string;
  grid_id: string | null;
  grid_name: string | null;
  district: string | null;
  households: number | null;
  population: number | null;
  share_age_60_plus: number | null;
  avg_house_price: number | null;
  manager_id: string | null;
  manager_name: string | null;
  longitude: number | null;
  latitude: number | null;
  grid_manager_id: string | null;
}

export function registerCommunities(db: Db): RegisterCommunity[] {
  return db
    .prepare(
      `SELECT cm.community_id, cm.name, cm.grid_id, cm.grid_name, cm.district, cm.households, cm.population, cm.share_age_60_plus, cm.avg_house_price,
         cm.manager_id, m.name AS manager_name, cm.longitude, cm.latitude, cm.grid_manager_id
       FROM communities cm LEFT JOIN managers m ON m.manager_id = cm.manager_id ORDER BY cm.community_id`,
    )
    .all() as RegisterCommunity[];
}

const NO_HISTORY: CommunityUnit['history'] = { activities: 0, participants: 0, lastActivity: null, campaigns: 0, campaignResponseRate: null };

export function emptyFigures(): UnitFigures['measures'] {
  return {
    customers: 0,
    activeCustomers: null,
    activeShare: null,
    newCustomers: 0,
    lostCustomers: null,
    aumTotal: null,
    aumPerCustomer: null,
    tierMix: { mass: 0, affluent: 0, wealth: 0, private: 0, unrated: 0 },
    ageMix: [0, 0, 0, 0, 0, 0, 0],
    age60Share: null,
    lifecycleMix: null,
    churnScored: 0,
    churnHigh: 0,
    churnHighShare: null,
    aumAtRisk: null,
    expectedChurnAum: null,
    products: Object.fromEntries(PRODUCT_CATEGORIES.map((f) => [f, { holders: 0, penetration: null }])) as CommunityMeasures['products'],
    demographics: { youngFamilyShare: null, studentShare: null, smeShare: null, workerShare: null, salariedShare: null },
    coverage: { managers: 0, customersPerManager: null, contacted: 0, contactedShare: null },
  };
}

interface RegisterFigures {
  households: number | null;
  population: number | null;
  residentAge60Share: number | null;
  avgHousePrice: number | null;
  /** Customers living where the households are known, for the penetration of a grid or the branch. */
  customersWithHouseholds?: number;
}

/** Sums of the known values; null when none is known. */
function sumKnown(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) : null;
}

export function withRegister(figures: UnitFigures['measures'], register: RegisterFigures): CommunityMeasures {
  const households = register.households !== null && register.households > 0 ? register.households : null;
  const covered = register.customersWithHouseholds ?? figures.customers;
  return {
    ...figures,
    households: register.households,
    population: register.population,
    penetration: households === null ? null : covered / households,
    aumPerHousehold: households === null || figures.aumTotal === null ? null : figures.aumTotal / households,
    residentAge60Share: register.residentAge60Share,
    avgHousePrice: register.avgHousePrice,
  };
}

function unit(scope: CommunityScope, id: string, name: string, measures: CommunityMeasures, history: CommunityUnit['history'], extra: Partial<CommunityUnit> = {}): CommunityUnit {
  return {
    scope,
    id,
    name,
    gridId: null,
    gridName: null,
    district: null,
    managerId: null,
    managerName: null,
    longitude: null,
    latitude: null,
    communities: 1,
    measures,
    history,
    targets: {},
    ...extra,
  };
}

export function communityUnits(register: readonly RegisterCommunity[], figures: Map<string, UnitFigures>): CommunityUnit[] {
  return register.map((c) => {
    const found = figures.get(c.community_id);
    const measures = withRegister(found?.measures ?? emptyFigures(), {
      households: c.households,
      population: c.population,
      residentAge60Share: c.share_age_60_plus,
      avgHousePrice: c.avg_house_price,
    });
    return unit('community', c.community_id, c.name, measures, found?.history ?? NO_HISTORY, {
      gridId: c.grid_id,
      gridName: c.grid_name,
      district: c.district,
      managerId: c.manager_id,
      managerName: c.manager_name,
      longitude: c.longitude,
      latitude: c.latitude,
    });
  });
}

/** Register figures summed over a set of communities; the residents' 60+ share weighted by population. */
function registerOf(members: readonly RegisterCommunity[], communityUnitsById: Map<string, CommunityUnit>): RegisterFigures {
  const withHouseholds = members.filter((c) => typeof c.households === 'number' && c.households > 0);
  const weighted = members.filter((c) => typeof c.share_age_60_plus === 'number' && typeof c.population === 'number' && c.population > 0);
  const weight = weighted.reduce((s, c) => s + (c.population as number), 0);
  const priced = members.filter((c) => typeof c.avg_house_price === 'number');
  return {
    households: sumKnown(withHouseholds.map((c) => c.households)),
    population: sumKnown(members.map((c) => c.population)),
    residentAge60Share: weight > 0 ? weighted.reduce((s, c) => s + (c.share_age_60_plus as number) * (c.population as number), 0) / weight : null,
    avgHousePrice: priced.length > 0 ? priced.reduce((s, c) => s + (c.avg_house_price as number), 0) / priced.length : null,
    customersWithHouseholds: withHouseholds.reduce((s, c) => s + (communityUnitsById.get(c.community_id)?.measures.customers ?? 0), 0),
  };
}

export function gridUnits(register: readonly RegisterCommunity[], communities: readonly CommunityUnit[], figures: Map<string, UnitFigures>): CommunityUnit[] {
  const byId = new Map(communities.map((c) => [c.id, c]));
  const grids = new Map<string, RegisterCommunity[]>();
  for (const c of register) {
    if (!c.grid_id) continue;
    grids.set(c.grid_id, [...(grids.get(c.grid_id) ?? []), c]);
  }
  return [...grids.entries()].map(([gridId, members]) => {
    const found = figures.get(gridId);
    const gridManager = members.find((c) => c.grid_manager_id)?.grid_manager_id ?? null;
    return unit('grid', gridId, members.find((c) => c.grid_name)?.grid_name ?? gridId, withRegister(found?.measures ?? emptyFigures(), registerOf(members, byId)), found?.history ?? NO_HISTORY, {
      gridId,
      gridName: members[0]?.grid_name ?? null,
      district: members[0]?.district ?? null,
      managerId: gridManager,
      communities: members.length,
    });
  });
}

/**
 * Managers: every manager of the register and every manager id customers carry. A manager's households are
 * those of the communities in their charge, but their customers live anywhere, so no penetration is given.
 */
export function managerUnits(db: Db, register: readonly RegisterCommunity[], figures: Map<string, UnitFigures>): CommunityUnit[] {
  const managers = db.prepare('SELECT manager_id AS id, name, team FROM managers ORDER BY manager_id').all() as { id: string; name: string; team: string | null }[];
  const known = new Set(managers.map((m) => m.id));
  const extra = [...figures.keys()].filter((id) => !known.has(id)).sort().map((id) => ({ id, name: id, team: null }));
  return [...managers, ...extra].map((m) => {
    const found = figures.get(m.id);
    const charge = register.filter((c) => c.manager_id === m.id);
    const measures = withRegister(found?.measures ?? emptyFigures(), { households: null, population: null, residentAge60Share: null, avgHousePrice: null });
    measures.households = sumKnown(charge.map((c) => c.households));
    return unit('manager', m.id, m.name, measures, found?.history ?? NO_HISTORY, { managerId: m.id, managerName: m.name, team: m.team, communities: charge.length });
  });
}

export function branchUnit(register: readonly RegisterCommunity[], communities: readonly CommunityUnit[], figures: Map<string, UnitFigures>, familyBalances: CommunityUnit['familyBalances']): CommunityUnit {
  const found = figures.get('branch');
  const measures = withRegister(found?.measures ?? emptyFigures(), registerOf(register, new Map(communities.map((c) => [c.id, c]))));
  return unit('branch', 'branch', '全行', measures, found?.history ?? NO_HISTORY, { communities: register.length, familyBalances });
}
