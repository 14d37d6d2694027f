/**
 * The dates of product matching (issue #9 §2–3). T is the data's as-of date (analytics/as-of.ts: the last
 * complete balance month, else the latest transaction or record month), h the horizon in months:
 *
 *   scoring forests: features as of T − h, new holdings in (T − h, T];
 *   held-out check:  trained on features as of T − 2h and new holdings in (T − 2h, T − h],
 *                    tested on features as of T − h and new holdings in (T − h, T].
 *
 * All arithmetic is on whole months, so each window is h complete months.
 */
import type { Db } from '../db/workspace';
import { latestDataMonth } from '../analytics/as-of';
import { addMonthsToMonth, monthEnd } from '../analytics/dates';

export interface MatchWindow {
  /** Features as of this date. */
  readonly featuresAsOf: string;
  /** New holdings opened after featuresAsOf and on or before labelTo. */
  readonly labelTo: string;
}

export function matchingAsOf(db: Db): string {
  return monthEnd(latestDataMonth(db).month);
}

/** The window `shift` horizons back from T: 0 is the scoring forests', 1 the held-out check's training. */
export function matchWindow(asOf: string, horizonMonths: number, shift = 0): MatchWindow {
  const labelMonth = addMonthsToMonth(asOf.slice(0, 7), -shift * horizonMonths);
  return { featuresAsOf: monthEnd(addMonthsToMonth(labelMonth, -horizonMonths)), labelTo: monthEnd(labelMonth) };
}
