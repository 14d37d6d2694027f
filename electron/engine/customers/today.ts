/** The local calendar date as 'YYYY-MM-DD': ages and "not in the future" are about the analyst's day, not UTC's. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
