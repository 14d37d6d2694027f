/**
 * Calendar arithmetic for the analytics, on 'YYYY-MM-DD' and 'YYYY-MM' text (the form the workspace stores
 * dates and months in, so window bounds compare with stored values as plain text) and on whole days since
 * 1970-01-01 UTC (for differences in days). No time zones: a date is a calendar day.
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ISO_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = ISO_DATE.exec(text);
  return m !== null && Number(m[3]) <= daysInMonth(Number(m[1]), Number(m[2]));
}

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A 'YYYY-MM-DD' shape without the calendar check: for stored dates, which the importer validated. */
export function looksLikeDate(text: unknown): text is string {
  return typeof text === 'string' && DATE_SHAPE.test(text);
}

export function isIsoMonth(text: unknown): text is string {
  return typeof text === 'string' && ISO_MONTH.test(text);
}

/** Days in a calendar month (month 1..12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number) => String(n).padStart(4, '0');

/** Whole days since 1970-01-01 of a 'YYYY-MM-DD' date (only the first 10 characters are read). */
export function dayNumber(date: string): number {
  return Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS);
}

export function formatDayNumber(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export function addDays(date: string, days: number): string {
  return formatDayNumber(dayNumber(date) + days);
}

/** The last day of a 'YYYY-MM' month, as 'YYYY-MM-DD'. */
export function monthEnd(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return `${month.slice(0, 7)}-${pad2(daysInMonth(y, m))}`;
}

export function isMonthEnd(date: string): boolean {
  return date === monthEnd(date.slice(0, 7));
}

/** 'YYYY-MM' shifted by k months (k may be negative). */
export function addMonthsToMonth(month: string, k: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + k;
  const y = Math.floor(index / 12);
  return `${pad4(y)}-${pad2(index - y * 12 + 1)}`;
}

/**
 * A date shifted by k calendar months. The day is clamped to the target month, and a month end maps to a
 * month end: 2026-10-31 − 3 months = 2026-07-31, 2026-02-28 − 3 months = 2025-11-30. So the window
 * (asOf − 3 months, asOf] of a month-end as-of is exactly the last three calendar months.
 */
export function addMonths(date: string, k: number): string {
  const target = addMonthsToMonth(date.slice(0, 7), k);
  if (isMonthEnd(date)) return monthEnd(target);
  const last = Number(monthEnd(target).slice(8, 10));
  return `${target}-${pad2(Math.min(Number(date.slice(8, 10)), last))}`;
}

/**
 * Completed calendar months from `from` to `to` (both 'YYYY-MM-DD'): the month difference, less one when
 * the day of `to` has not reached the day of `from` — unless `to` is its month's last day, which completes
 * the month (2026-01-31 → 2026-02-28 is one month). Negative when `to` is before `from`.
 */
export function completedMonths(from: string, to: string, toIsMonthEnd: boolean = isMonthEnd(to)): number {
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  const dayFrom = Number(from.slice(8, 10));
  const dayTo = Number(to.slice(8, 10));
  return dayTo < dayFrom && !toIsMonthEnd ? months - 1 : months;
}

/** Age in whole years on a date, both as 'YYYY-MM-DD' (the arithmetic of shared/values.ts ageOn). */
export function wholeYears(from: string, to: string): number {
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return to.slice(5, 10) < from.slice(5, 10) ? years - 1 : years;
}

/**
 * The latest month whose balances are fully known on a date: the date's own month when the date is its
 * last day, the month before otherwise. A monthly average balance of a month that has not ended yet
 * averages over days after the date, so reading it would leak the future into the features.
 */
export function lastCompleteMonth(date: string): string {
  return isMonthEnd(date) ? date.slice(0, 7) : addMonthsToMonth(date.slice(0, 7), -1);
}
