/**
 * The universal control group (全局对照组): a seeded random share of all customers kept out of every campaign
 * for a period (a calendar quarter by default), then drawn again. It measures what all marketing together
 * achieves, which no single campaign's holdout can.
 *
 * Each customer's lot is a number in [0, 1) from a hash of the period's seed and the customer id, so a draw
 * is reproducible and needs no state beyond the seed. The first draw of a period puts exactly
 * round(share × customers) of the lowest lots in the group; a customer who appears later (a new account, a
 * later import) is assigned when first seen, in the group when their lot is below the share. Assignments
 * are stored, so the group never moves under a running campaign, and `redraw` closes the current period
 * the day before and opens a new one with a new seed.
 */
import type { UniversalControlInfo } from '../../../shared/campaigns';
import { hashString } from '../../../shared/random';
import type { Settings } from '../../../shared/settings';
import { addDays, addMonthsToMonth, monthEnd } from '../analytics/dates';
import type { Db } from '../db/workspace';

export interface ControlPeriod {
  periodId: number;
  startsOn: string;
  endsOn: string;
  share: number;
  seed: number;
  drawnAt: string;
}

/** The calendar period of `months` months (a divisor of 12) that contains `date`. */
export function periodBounds(date: string, months: number): { startsOn: string; endsOn: string } {
  const month = Number(date.slice(5, 7));
  const first = Math.floor((month - 1) / months) * months + 1;
  const startMonth = `${date.slice(0, 4)}-${String(first).padStart(2, '0')}`;
  return { startsOn: `${startMonth}-01`, endsOn: monthEnd(addMonthsToMonth(startMonth, months - 1)) };
}

/**
 * A customer's lot in a draw: uniform in [0, 1), fixed by seed and id. The id's FNV hash mixed with the
 * seed through murmur3's finaliser: a million lots in milliseconds, and every output bit depends on every
 * input bit, so neighbouring customer numbers get unrelated lots.
 */
export function lot(seed: number, customerId: string): number {
  let h = (hashString(customerId) ^ seed) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

interface PeriodRow {
  period_id: number;
  starts_on: string;
  ends_on: string;
  share: number;
  seed: number;
  drawn_at: string;
}

const toPeriod = (r: PeriodRow): ControlPeriod => ({ periodId: r.period_id, startsOn: r.starts_on, endsOn: r.ends_on, share: r.share, seed: r.seed, drawnAt: r.drawn_at });

/** The draw in force on `date` (the latest one covering it), if any. */
export function periodOn(db: Db, date: string): ControlPeriod | null {
  const row = db
    .prepare('SELECT period_id, starts_on, ends_on, share, seed, drawn_at FROM universal_control_periods WHERE starts_on <= ? AND ends_on >= ? ORDER BY period_id DESC LIMIT 1')
    .get(date, date) as PeriodRow | undefined;
  return row ? toPeriod(row) : null;
}

export function periodById(db: Db, periodId: number): ControlPeriod | null {
  const row = db.prepare('SELECT period_id, starts_on, ends_on, share, seed, drawn_at FROM universal_control_periods WHERE period_id = ?').get(periodId) as PeriodRow | undefined;
  return row ? toPeriod(row) : null;
}

/** The latest draw, for the campaign list's card; null before any campaign was planned. */
export function latestPeriod(db: Db): ControlPeriod | null {
  const row = db.prepare('SELECT period_id, starts_on, ends_on, share, seed, drawn_at FROM universal_control_periods ORDER BY period_id DESC LIMIT 1').get() as PeriodRow | undefined;
  return row ? toPeriod(row) : null;
}

export function controlInfo(db: Db, period: ControlPeriod, newlyAssigned = 0): UniversalControlInfo {
  const counts = db
    .prepare('SELECT count(*) AS assigned, coalesce(sum(in_control), 0) AS size FROM universal_control_assignments WHERE period_id = ?')
    .get(period.periodId) as { assigned: number; size: number };
  return { periodId: period.periodId, startsOn: period.startsOn, endsOn: period.endsOn, share: period.share, drawnAt: period.drawnAt, size: counts.size, assigned: counts.assigned, newlyAssigned };
}

/**
 * The universal control group in force on `date`, drawn first when no draw covers the date, and with every
 * customer not yet assigned given their lot. Writes; run it inside the caller's transaction or alone.
 */
export function ensureUniversalControl(db: Db, date: string, settings: Settings, options: { redraw?: boolean } = {}): UniversalControlInfo {
  const { universalControlShare: share, universalControlMonths: months } = settings.campaigns;
  return db.transaction(() => {
    let period = periodOn(db, date);
    let fresh = false;
    if (period && options.redraw) {
      const endsOn = period.endsOn;
      db.prepare('UPDATE universal_control_periods SET ends_on = ? WHERE period_id = ?').run(addDays(date, -1), period.periodId);
      period = insertPeriod(db, date, endsOn, share, 'redraw');
      fresh = true;
    } else if (!period) {
      const bounds = periodBounds(date, months);
      period = insertPeriod(db, bounds.startsOn, bounds.endsOn, share, 'scheduled');
      fresh = true;
    }
    const newlyAssigned = fresh ? drawAll(db, period) : assignNewcomers(db, period);
    return controlInfo(db, period, newlyAssigned);
  }).immediate();
}

function insertPeriod(db: Db, startsOn: string, endsOn: string, share: number, reason: 'scheduled' | 'redraw'): ControlPeriod {
  const draws = (db.prepare('SELECT count(*) AS n FROM universal_control_periods').get() as { n: number }).n;
  // Reproducible: the same workspace drawing the same period the same number of times gets the same group.
  const seed = hashString(`universal-control:${startsOn}:${draws}`);
  const drawnAt = new Date().toISOString();
  const id = Number(
    db.prepare('INSERT INTO universal_control_periods (starts_on, ends_on, share, seed, drawn_at, reason) VALUES (?, ?, ?, ?, ?, ?)').run(startsOn, endsOn, share, seed, drawnAt, reason).lastInsertRowid,
  );
  return { periodId: id, startsOn, endsOn, share, seed, drawnAt };
}

/** A new draw: exactly round(share × customers) customers, those with the lowest lots. */
function drawAll(db: Db, period: ControlPeriod): number {
  const ids = db.prepare('SELECT customer_id FROM customers ORDER BY customer_id').pluck().all() as string[];
  const lots = Float64Array.from(ids, (id) => lot(period.seed, id));
  const order = Uint32Array.from(ids.keys()).sort((a, b) => lots[a]! - lots[b]! || a - b);
  const inControl = new Uint8Array(ids.length);
  const size = Math.round(period.share * ids.length);
  for (let i = 0; i < size; i++) inControl[order[i]!] = 1;
  // In key order: the B-tree grows at its end instead of splitting pages all over.
  const insert = db.prepare('INSERT INTO universal_control_assignments (period_id, customer_id, in_control, assigned_at) VALUES (?, ?, ?, ?)');
  const at = new Date().toISOString();
  ids.forEach((id, i) => insert.run(period.periodId, id, inControl[i], at));
  return ids.length;
}

/** Customers who appeared since the draw: in the group when their lot falls below the share. */
function assignNewcomers(db: Db, period: ControlPeriod): number {
  const ids = db
    .prepare('SELECT c.customer_id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM universal_control_assignments a WHERE a.period_id = ? AND a.customer_id = c.customer_id)')
    .pluck()
    .all(period.periodId) as string[];
  const insert = db.prepare('INSERT INTO universal_control_assignments (period_id, customer_id, in_control, assigned_at) VALUES (?, ?, ?, ?)');
  const at = new Date().toISOString();
  for (const id of ids) insert.run(period.periodId, id, lot(period.seed, id) < period.share ? 1 : 0, at);
  return ids.length;
}

/** The customers in the group of a period. */
export function universalControlMembers(db: Db, periodId: number): Set<string> {
  return new Set(db.prepare('SELECT customer_id FROM universal_control_assignments WHERE period_id = ? AND in_control = 1').pluck().all(periodId) as string[]);
}
