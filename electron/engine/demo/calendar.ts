/**
 * Date arithmetic for the demo generator. Dates are whole days since 1970-01-01 (UTC) and months are
 * `year * 12 + (month - 1)`, so the per-row hot paths work on integers and look formatted text up in
 * tables built once per run instead of formatting a Date per row.
 */

const DAY_MS = 86_400_000;

export function parseMonthLabel(label: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) throw new Error(`endMonth 应为 YYYY-MM，收到 ${label}`);
  return Number(m[1]) * 12 + month - 1;
}

export function monthLabel(monthIdx: number): string {
  const year = Math.floor(monthIdx / 12);
  const month = monthIdx - year * 12 + 1;
  return `${year}-${month < 10 ? '0' : ''}${month}`;
}

export function yearOfMonth(monthIdx: number): number {
  return Math.floor(monthIdx / 12);
}

/** Calendar month 1..12. */
export function calendarMonth(monthIdx: number): number {
  return monthIdx - Math.floor(monthIdx / 12) * 12 + 1;
}

export function firstDayOfMonth(monthIdx: number): number {
  const year = Math.floor(monthIdx / 12);
  return Math.round(Date.UTC(year, monthIdx - year * 12, 1) / DAY_MS);
}

export function daysInMonth(monthIdx: number): number {
  return firstDayOfMonth(monthIdx + 1) - firstDayOfMonth(monthIdx);
}

export function dayOf(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * Year, month (1..12) and day of a day number, by integer arithmetic (H. Hinnant's civil_from_days):
 * several times faster than going through a Date, and the customer files format millions of dates.
 */
export function splitDay(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** 'YYYY-MM-DD' of a day number. In hot loops over the window, Calendar.date is a table lookup. */
export function formatDay(day: number): string {
  const [y, m, d] = splitDay(day);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function monthOfDay(day: number): number {
  const [y, m] = splitDay(day);
  return y * 12 + m - 1;
}

/** Whole years between two days, the way an age is counted. */
export function yearsBetween(from: number, to: number): number {
  const [fy, fm, fd] = splitDay(from);
  const [ty, tm, td] = splitDay(to);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/**
 * The window of months the demo covers, ending at the last complete month. Formatted dates of every day
 * in the window are precomputed: a transaction file formats millions of dates from a few hundred days.
 */
export class Calendar {
  readonly months: number;
  readonly endMonth: number;
  readonly startMonth: number;
  /** First day of the window. */
  readonly startDay: number;
  /** Last day of the window: the as-of date of the demo data. */
  readonly endDay: number;
  /** First day of every window month, plus one entry for the day after the window. */
  readonly monthStart: Int32Array;
  readonly monthText: readonly string[];
  private readonly dateText: string[];

  constructor(endMonthLabel: string, months: number) {
    if (!Number.isInteger(months) || months < 1) throw new Error(`months 应为正整数，收到 ${months}`);
    this.months = months;
    this.endMonth = parseMonthLabel(endMonthLabel);
    this.startMonth = this.endMonth - months + 1;
    this.monthStart = new Int32Array(months + 1);
    const text: string[] = [];
    for (let m = 0; m <= months; m++) this.monthStart[m] = firstDayOfMonth(this.startMonth + m);
    for (let m = 0; m < months; m++) text.push(monthLabel(this.startMonth + m));
    this.monthText = text;
    this.startDay = this.monthStart[0] as number;
    this.endDay = (this.monthStart[months] as number) - 1;
    this.dateText = [];
    for (let day = this.startDay; day <= this.endDay; day++) this.dateText.push(formatDay(day));
  }

  /** 'YYYY-MM-DD' of a day; table lookup inside the window. */
  date(day: number): string {
    const i = day - this.startDay;
    return i >= 0 && i < this.dateText.length ? (this.dateText[i] as string) : formatDay(day);
  }

  /** Window month index (0 = first month) of a day, clamped to the window. */
  windowMonthOfDay(day: number): number {
    if (day < this.startDay) return -1;
    if (day > this.endDay) return this.months;
    let lo = 0;
    let hi = this.months - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.monthStart[mid] as number) <= day) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  daysIn(windowMonth: number): number {
    return (this.monthStart[windowMonth + 1] as number) - (this.monthStart[windowMonth] as number);
  }

  firstDay(windowMonth: number): number {
    return this.monthStart[windowMonth] as number;
  }
}
