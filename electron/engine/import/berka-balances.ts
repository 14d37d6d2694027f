/**
 * Monthly average balances from Berka's trans.asc, which carries the account's running balance after every
 * transaction but no balance table. The workbench's tiers, RFM M, lifecycle and churn labels all read
 * monthly average balances (DESIGN.md §3), so the recipe derives them:
 *
 * - the balance at the end of a day is the balance of that day's last transaction in file order (the file
 *   lists an account's transactions of a day in the order they were booked);
 * - between transactions the balance stands still, so a month's average is the day-weighted mean of the
 *   end-of-day balances over its days, from the account's first transaction on;
 * - months continue to the last month of the file, so a quiet account keeps its balance, and a drained one
 *   shows as drained;
 * - a negative average (an overdraft) is a loan: aum 0, loan the overdrawn amount;
 * - amounts stay in the file's currency (Czech koruna), like every other Berka amount.
 *
 * Rows that do not parse (a line cut short, a bad date) are left out here; the transactions import reports
 * them by row number.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { JobContext } from '../context';
import { EngineError } from '../errors';
import { openSource } from './source';

interface AccountSeries {
  /** Days since 1970-01-01 of each end-of-day balance, ascending. */
  days: number[];
  balances: number[];
}

const DAY_MS = 86_400_000;

function berkaDay(yymmdd: string): number | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const year = 1900 + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return time / DAY_MS;
}

const monthKey = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 7);

/** Writes `out` as a balances CSV (客户号, 月份, 月日均资产, 存款余额, 贷款余额) and returns the row count. */
export async function deriveBerkaBalances(ctx: JobContext, transFile: string, owners: ReadonlyMap<string, string>, out: string): Promise<number> {
  const source = await openSource({ file: transFile });
  const col = (name: string) => {
    const i = source.headers.indexOf(name);
    if (i < 0) throw new EngineError('bad_input', `文件“${source.fileName}”缺少列 ${name}，请确认它是 PKDD'99 的 trans.asc`);
    return i;
  };
  const [accountAt, dateAt, balanceAt] = [col('account_id'), col('date'), col('balance')];
  const width = source.headers.length;
  const series = new Map<string, AccountSeries>();
  let lastDay = -Infinity;
  for await (const batch of source.batches()) {
    ctx.throwIfCancelled();
    for (const cells of batch.rows) {
      if (cells.length !== width) continue;
      const day = berkaDay((cells[dateAt] ?? '').trim());
      const balance = Number((cells[balanceAt] ?? '').trim());
      const owner = owners.get((cells[accountAt] ?? '').trim());
      if (day === null || !Number.isFinite(balance) || (cells[balanceAt] ?? '').trim() === '' || owner === undefined) continue;
      let s = series.get(owner);
      if (!s) series.set(owner, (s = { days: [], balances: [] }));
      const last = s.days.length - 1;
      if (last >= 0 && s.days[last] === day) s.balances[last] = balance;
      else if (last >= 0 && s.days[last]! > day) insertInOrder(s, day, balance);
      else {
        s.days.push(day);
        s.balances.push(balance);
      }
      if (day > lastDay) lastDay = day;
    }
    ctx.progress('计算月日均余额', batch.progress, source.progressTotal);
  }
  if (series.size === 0) return 0;

  const endMonth = monthKey(lastDay);
  const stream = createWriteStream(out, { encoding: 'utf8' });
  stream.write('客户号,月份,月日均资产,存款余额,贷款余额\n');
  let rows = 0;
  for (const [customer, s] of series) {
    for (const line of monthlyAverages(s, endMonth)) {
      const { month, average } = line;
      const asset = Math.max(average, 0);
      if (!stream.write(`${customer},${month},${asset.toFixed(2)},${asset.toFixed(2)},${Math.max(-average, 0).toFixed(2)}\n`)) await once(stream, 'drain');
      rows++;
    }
  }
  stream.end();
  await once(stream, 'finish');
  return rows;
}

/** Keeps days ascending when the file lists a day out of order (rare; the file is sorted by date). */
function insertInOrder(s: AccountSeries, day: number, balance: number): void {
  let i = s.days.length;
  while (i > 0 && s.days[i - 1]! > day) i--;
  if (i > 0 && s.days[i - 1] === day) {
    s.balances[i - 1] = balance;
    return;
  }
  s.days.splice(i, 0, day);
  s.balances.splice(i, 0, balance);
}

/** The day-weighted mean balance of each month from the account's first transaction to `endMonth`. */
export function monthlyAverages(s: AccountSeries, endMonth: string): { month: string; average: number }[] {
  const out: { month: string; average: number }[] = [];
  const first = s.days[0]!;
  let month = monthKey(first);
  let k = 0;
  let balance = s.balances[0]!;
  let day = first;
  while (month <= endMonth) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const monthEndDay = Date.UTC(y, m, 1) / DAY_MS; // first day of the next month
    let weighted = 0;
    let days = 0;
    for (; day < monthEndDay; day++) {
      while (k < s.days.length && s.days[k]! <= day) balance = s.balances[k++]!;
      weighted += balance;
      days++;
    }
    out.push({ month, average: Math.round((weighted / days) * 100) / 100 });
    month = monthKey(monthEndDay);
  }
  return out;
}
