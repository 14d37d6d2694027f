/** Month arithmetic of the plan screen on 'YYYY-MM' text, without time zones. */
export function nextMonth(month: string): string {
  return addMonths(month, 1);
}

export function addMonths(month: string, k: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + k;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
