/**
 * Tier migration (层级迁移, DESIGN.md §4) between any two balance months, straight from `balances`: no
 * analysis run is needed, and any pair of months can be compared.
 *
 * A customer's tier at month X is tierOf(3-month average AUM over X−2..X) with the current settings, the
 * rule of the analysis runs (scores/tiers.ts): 无记录 (no_record) when he has no balance in that window.
 * The population is the analysis run's as of toMonth: every customer opened by the end of toMonth (or with
 * no open date). So each customer is counted once, a customer opened since fromMonth starts in 新增/无记录,
 * one gone from the balance file ends in 无记录, and the toMonth column totals are exactly the tier counts
 * of an analysis as of toMonth (issue #14: the two tabs of the tiers screen gave different counts).
 *
 * `fallen` lists the high-value customers (金卡 and above at fromMonth) who are at least one tier lower at
 * toMonth, or 无记录 there (aum_to null: the balance left the file), the biggest drop in 3-month average AUM
 * first (customer_id breaks ties), with the name masked unless settings.maskPii is off, and the manager's
 * name. `fallenAumLoss` sums the drop over all of them.
 *
 * Query plan: one scan of the balances primary key (customer_id, month) grouped in key order, joined to the
 * customers by their primary key.
 */
import { VALUE_TIERS, TIER_CODES, NO_RECORD_TIER, type TierCode, type TierMigration, type ValueTier } from '../../../shared/analytics';
import type { ParsedRequestOf } from '../../../shared/api';
import { maskName } from '../../../shared/masking';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { addMonthsToMonth, monthEnd } from './dates';
import { tierOf } from './scores/tiers';

const WINDOWS_SQL = `SELECT c.customer_id, w.aum_from, w.aum_to
FROM customers c LEFT JOIN (
  SELECT customer_id,
    avg(aum) FILTER (WHERE month BETWEEN @fromFirst AND @fromMonth) AS aum_from,
    avg(aum) FILTER (WHERE month BETWEEN @toFirst AND @toMonth) AS aum_to
  FROM balances
  WHERE month BETWEEN @fromFirst AND @fromMonth OR month BETWEEN @toFirst AND @toMonth
  GROUP BY customer_id
) w ON w.customer_id = c.customer_id
WHERE c.open_date IS NULL OR c.open_date <= @toEnd`;

const PEOPLE_SQL = `SELECT c.customer_id, c.name, m.name AS manager_name
FROM customers c LEFT JOIN managers m ON m.manager_id = c.manager_id
WHERE c.customer_id IN (SELECT value FROM json_each(?))`;

const RANK = new Map<TierCode, number>(VALUE_TIERS.map((tier, i) => [tier, i]));
const INDEX = new Map<TierCode, number>(TIER_CODES.map((tier, i) => [tier, i]));

interface Fallen {
  customer_id: string;
  from_tier: ValueTier;
  to_tier: TierCode;
  aum_from: number;
  aum_to: number | null;
}

const loss = (f: Fallen) => f.aum_from - (f.aum_to ?? 0);

export function tierMigration(db: Db, request: ParsedRequestOf<'analysis.migration'>): TierMigration {
  const { fromMonth, toMonth, limit } = request;
  if (fromMonth >= toMonth) throw new EngineError('bad_input', `起始月份（${fromMonth}）应早于结束月份（${toMonth}），请重新选择`);
  assertMonthHasBalances(db, fromMonth);
  assertMonthHasBalances(db, toMonth);
  const settings = readSettings(db);

  const matrix = TIER_CODES.map(() => TIER_CODES.map(() => 0));
  const fallen: Fallen[] = [];
  const rows = db
    .prepare(WINDOWS_SQL)
    .raw()
    .iterate({ fromFirst: addMonthsToMonth(fromMonth, -2), fromMonth, toFirst: addMonthsToMonth(toMonth, -2), toMonth, toEnd: monthEnd(toMonth) }) as IterableIterator<
    [string, number | null, number | null]
  >;
  const affluent = RANK.get('affluent') as number;
  for (const [customerId, aumFrom, aumTo] of rows) {
    const from = tierOf(aumFrom, settings.tiers);
    const to = tierOf(aumTo, settings.tiers);
    matrix[INDEX.get(from) as number]![INDEX.get(to) as number]!++;
    const fromRank = RANK.get(from);
    if (fromRank === undefined || fromRank < affluent || aumFrom === null) continue;
    if (to === NO_RECORD_TIER || (RANK.get(to) as number) < fromRank) {
      fallen.push({ customer_id: customerId, from_tier: from as ValueTier, to_tier: to, aum_from: aumFrom, aum_to: aumTo });
    }
  }
  fallen.sort((a, b) => loss(b) - loss(a) || (a.customer_id < b.customer_id ? -1 : a.customer_id > b.customer_id ? 1 : 0));
  const top = fallen.slice(0, limit);

  const people = new Map(
    (db.prepare(PEOPLE_SQL).all(JSON.stringify(top.map((f) => f.customer_id))) as { customer_id: string; name: string | null; manager_name: string | null }[]).map((p) => [p.customer_id, p]),
  );
  return {
    fromMonth,
    toMonth,
    tiers: [...TIER_CODES],
    matrix,
    fallen: top.map((f) => {
      const person = people.get(f.customer_id);
      const name = person?.name ?? null;
      return { ...f, name: name !== null && settings.maskPii ? maskName(name) : name, manager_name: person?.manager_name ?? null };
    }),
    fallenTotal: fallen.length,
    fallenAumLoss: fallen.reduce((sum, f) => sum + loss(f), 0),
  };
}

function assertMonthHasBalances(db: Db, month: string): void {
  const found = (db.prepare('SELECT EXISTS (SELECT 1 FROM balances WHERE month = ?) AS found').get(month) as { found: number }).found === 1;
  if (found) return;
  const range = db.prepare('SELECT min(month) AS first, max(month) AS last FROM balances').get() as { first: string | null; last: string | null };
  throw new EngineError(
    'bad_input',
    range.first === null
      ? '工作区中还没有月日均资产数据，无法计算层级迁移，请先导入资产余额'
      : `${month} 没有月日均资产数据，请在 ${range.first} 至 ${range.last} 之间选择月份`,
  );
}
