/**
 * The measures of every unit of one scope (community, grid, manager or the branch) as GROUP BYs over
 * cm_rows (customer-rows.ts): customers, activity, new and lost, AUM and tiers, ages, lifecycle, churn,
 * demographics, contact coverage and product holders (sums over the held bit set, no join), and for
 * communities the history of events and campaigns. The unit key is one of a fixed set of column
 * expressions, never text from a request.
 */
import { LIFECYCLE_STAGES, VALUE_TIERS } from '../../../shared/analytics';
import { AGE_BAND_BOUNDS, type CommunityMeasures, type CommunityUnit, type ProductHolding } from '../../../shared/community-types';
import { PRODUCT_CATEGORIES, type ProductCategory } from '../../../shared/dictionary';
import type { Settings } from '../../../shared/settings';
import type { Db } from '../db/workspace';
import { addDays } from '../analytics/dates';
import { ROWS, type RowsWindow } from './customer-rows';
import { EVENT_THEME_SQL } from './history';

/** The column of cm_rows (alias r) each scope groups by. */
export const UNIT_KEYS = { community: 'r.community_id', grid: 'r.grid_id', manager: 'r.manager_id', branch: "'branch'" } as const;
export type AggregatedScope = keyof typeof UNIT_KEYS;

export interface UnitFigures {
  measures: Omit<CommunityMeasures, 'households' | 'population' | 'penetration' | 'aumPerHousehold' | 'residentAge60Share' | 'avgHousePrice'>;
  history: CommunityUnit['history'];
}

type Row = Record<string, number | string | null>;

const ratio = (count: number | null | undefined, total: number | null | undefined): number | null => (total ? (count ?? 0) / total : null);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** No holders yet: a penetration of 0 where there are customers, null where there are none. */
function emptyProducts(customers: number): Record<ProductCategory, ProductHolding> {
  return Object.fromEntries(PRODUCT_CATEGORIES.map((family) => [family, { holders: 0, penetration: customers > 0 ? 0 : null }])) as Record<ProductCategory, ProductHolding>;
}

/** Figures of every unit of a scope; units without customers do not appear (the caller fills zeros). */
export function aggregateUnits(db: Db, scope: AggregatedScope, settings: Settings, window: RowsWindow): Map<string, UnitFigures> {
  const key = UNIT_KEYS[scope];
  const { affluent, wealth, private: privateTier } = settings.tiers;
  const ageBands = [
    ...AGE_BAND_BOUNDS.map((bound, i) => (i === 0 ? `sum(age < ${bound})` : `sum(age >= ${AGE_BAND_BOUNDS[i - 1]} AND age < ${bound})`)),
    `sum(age >= ${AGE_BAND_BOUNDS[AGE_BAND_BOUNDS.length - 1]})`,
    'sum(age IS NULL)',
  ];
  const rows = db
    .prepare(
      `SELECT ${key} AS unit,
         count(*) AS customers,
         sum(idle_days IS NOT NULL) AS idle_known, sum(idle_days <= ?) AS active,
         sum(aum IS NOT NULL) AS aum_known, sum(aum) AS aum_total,
         sum(aum >= ?) AS t_private, sum(aum >= ? AND aum < ?) AS t_wealth, sum(aum >= ? AND aum < ?) AS t_affluent, sum(aum < ?) AS t_mass,
         ${ageBands.map((sql, i) => `${sql} AS age_${i}`).join(', ')},
         sum(age >= 60) AS age60, sum(age IS NOT NULL) AS age_known,
         sum(lifecycle IS NOT NULL) AS life_known,
         ${LIFECYCLE_STAGES.map((stage) => `sum(lifecycle = '${stage}') AS life_${stage}`).join(', ')},
         sum(churn_prob IS NOT NULL) AS churn_scored, sum(churn_band = 'high') AS churn_high,
         sum(CASE WHEN churn_band = 'high' THEN aum END) AS aum_at_risk, sum(churn_prob * aum) AS expected_churn_aum,
         sum(young_family) AS young, count(young_family) AS young_known,
         sum(student) AS student, count(student) AS student_known,
         sum(sme) AS sme, count(sme) AS sme_known,
         sum(worker) AS worker, count(worker) AS worker_known,
         sum(salaried) AS salaried, count(salaried) AS salaried_known,
         count(DISTINCT manager_id) AS managers, sum(manager_id IS NOT NULL) AS managed, sum(contacted) AS contacted,
         ${PRODUCT_CATEGORIES.map((_, i) => `sum((held >> ${i}) & 1) AS held_${i}`).join(', ')}
       FROM ${ROWS} r WHERE cur = 1 GROUP BY 1`,
    )
    .all(settings.community.activeDays, privateTier, wealth, privateTier, affluent, wealth, affluent) as Row[];

  const lostAndNew = new Map(
    (db.prepare(`SELECT ${key} AS unit, sum(lost) AS lost, sum(is_new) AS is_new, sum(lifecycle IS NOT NULL) AS life_known FROM ${ROWS} r GROUP BY 1`).all() as Row[]).map((r) => [
      String(r.unit),
      r,
    ]),
  );
  const history = scope === 'community' ? historyByUnit(db, key, window.asOf) : new Map<string, CommunityUnit['history']>();

  const figures = new Map<string, UnitFigures>();
  for (const r of rows) {
    if (r.unit === null) continue;
    const unit = String(r.unit);
    const customers = num(r.customers);
    const other = lostAndNew.get(unit);
    const products = emptyProducts(customers);
    PRODUCT_CATEGORIES.forEach((family, i) => {
      const count = num(r[`held_${i}`]);
      products[family] = { holders: count, penetration: ratio(count, customers) };
    });
    const hasAum = num(r.aum_known) > 0;
    const hasLifecycle = num(r.life_known) > 0 || num(other?.life_known) > 0;
    const scored = num(r.churn_scored);
    figures.set(unit, {
      measures: {
        customers,
        activeCustomers: num(r.idle_known) > 0 ? num(r.active) : null,
        activeShare: num(r.idle_known) > 0 ? ratio(r.active as number, customers) : null,
        newCustomers: num(other?.is_new),
        lostCustomers: hasLifecycle ? num(other?.lost) : null,
        aumTotal: hasAum ? num(r.aum_total) : null,
        aumPerCustomer: hasAum ? ratio(r.aum_total as number, customers) : null,
        tierMix: hasAum
          ? { mass: num(r.t_mass), affluent: num(r.t_affluent), wealth: num(r.t_wealth), private: num(r.t_private), unrated: customers - num(r.aum_known) }
          : { ...Object.fromEntries(VALUE_TIERS.map((tier) => [tier, 0])), unrated: customers },
        ageMix: ageBands.map((_, i) => num(r[`age_${i}`])),
        age60Share: ratio(r.age60 as number, r.age_known as number),
        lifecycleMix: num(r.life_known) > 0 ? Object.fromEntries(LIFECYCLE_STAGES.map((stage) => [stage, num(r[`life_${stage}`])])) : null,
        churnScored: scored,
        churnHigh: num(r.churn_high),
        churnHighShare: ratio(r.churn_high as number, scored),
        aumAtRisk: scored > 0 && hasAum ? num(r.aum_at_risk) : null,
        expectedChurnAum: scored > 0 && hasAum ? num(r.expected_churn_aum) : null,
        products,
        demographics: {
          youngFamilyShare: ratio(r.young as number, r.young_known as number),
          studentShare: ratio(r.student as number, r.student_known as number),
          smeShare: ratio(r.sme as number, r.sme_known as number),
          workerShare: ratio(r.worker as number, r.worker_known as number),
          salariedShare: ratio(r.salaried as number, r.salaried_known as number),
        },
        coverage: {
          managers: num(r.managers),
          customersPerManager: num(r.managers) > 0 ? num(r.managed) / num(r.managers) : null,
          contacted: num(r.contacted),
          contactedShare: ratio(r.contacted as number, customers),
        },
      },
      history: history.get(unit) ?? { activities: 0, participants: 0, lastActivity: null, campaigns: 0, campaignResponseRate: null },
    });
  }
  return figures;
}

/** Community events (distinct date and theme) and campaigns of the unit's customers over the last 12 months. */
function historyByUnit(db: Db, key: string, asOf: string): Map<string, CommunityUnit['history']> {
  const yearAgo = addDays(asOf, -364);
  const events = db
    .prepare(
      `SELECT ${key} AS unit, count(DISTINCT r.community_id || '|' || i.date || '|' || ${EVENT_THEME_SQL}) AS activities, count(*) AS participants, max(i.date) AS last
       FROM interactions i JOIN ${ROWS} r ON r.customer_id = i.customer_id
       WHERE i.kind = 'event' AND i.date BETWEEN ? AND ? GROUP BY 1`,
    )
    .all(yearAgo, asOf) as { unit: string | null; activities: number; participants: number; last: string | null }[];
  const campaigns = db
    .prepare(
      `SELECT ${key} AS unit, count(DISTINCT cr.campaign_id) AS campaigns, count(*) AS listed, sum(cr.outcome IN ('responded', 'converted')) AS responded
       FROM campaign_responses cr JOIN ${ROWS} r ON r.customer_id = cr.customer_id
       WHERE cr.responded_at IS NULL OR cr.responded_at BETWEEN ? AND ? GROUP BY 1`,
    )
    .all(yearAgo, asOf) as { unit: string | null; campaigns: number; listed: number; responded: number }[];
  const history = new Map<string, CommunityUnit['history']>();
  const entry = (unit: string) => {
    const found = history.get(unit) ?? { activities: 0, participants: 0, lastActivity: null, campaigns: 0, campaignResponseRate: null };
    history.set(unit, found);
    return found;
  };
  for (const e of events) {
    if (e.unit === null) continue;
    Object.assign(entry(String(e.unit)), { activities: e.activities, participants: e.participants, lastActivity: e.last });
  }
  for (const c of campaigns) {
    if (c.unit === null) continue;
    Object.assign(entry(String(c.unit)), { campaigns: c.campaigns, campaignResponseRate: ratio(c.responded, c.listed) });
  }
  return history;
}

/**
 * What a holder of each family keeps at the branch, to value a product gap: the average balance of the
 * family's holdings per holder where the holdings carry balances; otherwise (payroll, mobile banking, cards
 * without balances) the holders' average 3-month AUM; null where neither is known.
 */
export function familyBalances(db: Db, asOf: string): CommunityUnit['familyBalances'] {
  const rows = db
    .prepare(
      `SELECT p.category AS family, sum(h.balance) AS balance, count(DISTINCT CASE WHEN h.balance IS NOT NULL THEN h.customer_id END) AS with_balance
       FROM ${ROWS} r JOIN holdings h ON h.customer_id = r.customer_id JOIN products p ON p.product_id = h.product_id
       WHERE r.cur = 1 AND h.opened_at <= ? AND (h.closed_at IS NULL OR h.closed_at > ?) GROUP BY 1`,
    )
    .all(asOf, asOf) as { family: string; balance: number | null; with_balance: number }[];
  const aum = db
    .prepare(`SELECT ${PRODUCT_CATEGORIES.map((_, i) => `avg(CASE WHEN (held >> ${i}) & 1 THEN aum END) AS aum_${i}`).join(', ')} FROM ${ROWS} WHERE cur = 1`)
    .get() as Record<string, number | null>;
  const result: NonNullable<CommunityUnit['familyBalances']> = {};
  PRODUCT_CATEGORIES.forEach((family, i) => {
    const row = rows.find((r) => r.family === family);
    const holderAum = aum[`aum_${i}`];
    if (row && row.with_balance > 0 && row.balance !== null) result[family] = { perHolder: row.balance / row.with_balance, basis: 'balance' };
    else if (typeof holderAum === 'number') result[family] = { perHolder: holderAum, basis: 'aum' };
  });
  return result;
}
