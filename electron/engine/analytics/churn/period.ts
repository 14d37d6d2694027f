/**
 * The dates of a churn model (DESIGN.md §4, time honesty). T is the as-of date of the data: the last day of
 * the last complete month in `balances`. With horizon h months:
 *
 *   features as of F = T − h (the last day of the month h months before T's month),
 *   label window      = (F, T].
 *
 * The out-of-time check moves both back by h: features as of T − 2h, labels over (T − 2h, T − h].
 * Dates are 'YYYY-MM-DD' text, months 'YYYY-MM'; all arithmetic is on whole months, so the window is
 * always h complete balance months.
 */
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { latestDataMonth } from '../as-of';
import { addMonthsToMonth, monthEnd } from '../dates';

export interface ChurnPeriod {
  /** Features as of this date (T − h). */
  readonly featuresAsOf: string;
  /** End of the label window (T). */
  readonly labelTo: string;
  readonly horizonMonths: number;
}

export const monthOf = (date: string): string => date.slice(0, 7);

/**
 * T: the as-of date of the customer analysis (as-of.ts): the end of the latest month in `balances`, a month
 * that is complete because balances are monthly averages. The churn label reads balances, so a workspace
 * without them cannot have a churn model.
 */
export function dataAsOf(db: Db): string {
  const latest = latestDataMonth(db);
  if (latest.source !== 'balances') {
    throw new EngineError('bad_input', '流失模型需要月日均余额数据来判断客户是否流失。请先导入“月日均余额”（balances）后再训练流失模型');
  }
  return monthEnd(latest.month);
}

/** The period `shift` horizons back from T: shift 0 is the model's own, shift 1 the out-of-time check. */
export function churnPeriod(asOf: string, horizonMonths: number, shift = 0): ChurnPeriod {
  const labelMonth = addMonthsToMonth(monthOf(asOf), -shift * horizonMonths);
  return { featuresAsOf: monthEnd(addMonthsToMonth(labelMonth, -horizonMonths)), labelTo: monthEnd(labelMonth), horizonMonths };
}
