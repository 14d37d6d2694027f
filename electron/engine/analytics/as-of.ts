/**
 * The as-of date of a customer analysis (DESIGN.md §4): the last day of the as-of month.
 *
 * By default the month is, in this order:
 * 1. the latest month in `balances`: balances are monthly averages, so a month that is there is complete;
 * 2. otherwise the month of the latest transaction date;
 * 3. otherwise (a branch file with customers and holdings only, such as Berka) the month of the latest date
 *    anywhere in the records: account openings, holding openings and closings, interactions. Without
 *    activity data there is no "complete month" to find, and that month leaves no imported record out;
 * 4. otherwise (no dates at all) the current month.
 *
 * A requested month must not be after that default month (the features would read an empty future), and
 * some customer must have been open by then. Records dated after today never count (issue #15: one
 * mistyped 2030-01 balance row made 1,969 of 2,000 customers "dormant"), so the as-of date is never later
 * than today.
 */
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { localToday } from '../customers/today';
import { isIsoMonth, monthEnd } from './dates';

export type AsOfSource = 'request' | 'balances' | 'transactions' | 'records' | 'today';

export interface ResolvedAsOf {
  /** 'YYYY-MM-DD', the last day of `month`. */
  asOf: string;
  month: string;
  source: AsOfSource;
}

const LATEST_RECORD_SQL = `SELECT max(d) AS d FROM (
  SELECT max(open_date) AS d FROM customers WHERE open_date <= :today
  UNION ALL SELECT max(opened_at) FROM holdings WHERE opened_at <= :today
  UNION ALL SELECT max(closed_at) FROM holdings WHERE closed_at <= :today
  UNION ALL SELECT max(date) FROM interactions WHERE date <= :today
)`;

/** The default as-of month and where it came from; never after the current month. */
export function latestDataMonth(db: Db, today: string = localToday()): { month: string; source: Exclude<AsOfSource, 'request'> } {
  const balances = (db.prepare('SELECT max(month) AS m FROM balances WHERE month <= ?').get(today.slice(0, 7)) as { m: string | null }).m;
  if (isIsoMonth(balances)) return { month: balances, source: 'balances' };
  const transactions = (db.prepare('SELECT max(txn_date) AS d FROM transactions WHERE txn_date <= ?').get(today) as { d: string | null }).d;
  if (typeof transactions === 'string' && isIsoMonth(transactions.slice(0, 7))) return { month: transactions.slice(0, 7), source: 'transactions' };
  const record = (db.prepare(LATEST_RECORD_SQL).get({ today }) as { d: string | null }).d;
  if (typeof record === 'string' && isIsoMonth(record.slice(0, 7))) return { month: record.slice(0, 7), source: 'records' };
  return { month: today.slice(0, 7), source: 'today' };
}

/** What the latest month is the latest of, as the refusal of a later month names it. */
const LATEST_OF: Readonly<Record<Exclude<AsOfSource, 'request'>, string>> = {
  balances: '月日均资产数据的最新月份',
  transactions: '交易流水的最新月份',
  records: '数据的最新月份',
  today: '当前月份',
};

export function resolveAsOf(db: Db, requestedMonth?: string): ResolvedAsOf {
  const customers = (db.prepare('SELECT EXISTS (SELECT 1 FROM customers) AS found').get() as { found: number }).found === 1;
  if (!customers) throw new EngineError('bad_input', '工作区中还没有客户数据，请先导入客户信息再运行客户分析');
  const today = localToday();
  const latest = latestDataMonth(db, today);
  const notAfterToday = (date: string) => (date > today ? today : date);
  if (requestedMonth === undefined) return { asOf: notAfterToday(monthEnd(latest.month)), month: latest.month, source: latest.source };

  if (!isIsoMonth(requestedMonth)) throw new EngineError('bad_input', `分析月份应为 YYYY-MM，例如 2024-06，收到“${requestedMonth}”`);
  if (requestedMonth > latest.month) {
    throw new EngineError('bad_input', `所选月份 ${requestedMonth} 晚于${LATEST_OF[latest.source]} ${latest.month}，请选择 ${latest.month} 或更早的月份`);
  }
  const asOf = notAfterToday(monthEnd(requestedMonth));
  const opened = (db.prepare('SELECT EXISTS (SELECT 1 FROM customers WHERE open_date IS NULL OR open_date <= ?) AS found').get(asOf) as { found: number }).found === 1;
  if (!opened) throw new EngineError('bad_input', `截至 ${asOf} 还没有已开户的客户，请选择更晚的月份`);
  return { asOf, month: requestedMonth, source: 'request' };
}
