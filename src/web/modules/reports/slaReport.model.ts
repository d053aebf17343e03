/** Pure helpers of the service-time report page (unit-tested). */

/** The colour of a compliance rate: ≥ 95 % green, ≥ 80 % orange, else red; none without a rate. */
export function rateTone(rate: number | null): 'green' | 'orange' | 'red' | null {
  if (rate === null) return null;
  if (rate >= 0.95) return 'green';
  if (rate >= 0.8) return 'orange';
  return 'red';
}

/** 0.6667 → '66.7%'; null → '—'. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** From the first of the month to `today` (YYYY-MM-DD): the default period. */
export function monthToDate(today: Date): [string, string] {
  const f = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return [f(new Date(today.getFullYear(), today.getMonth(), 1)), f(today)];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The period of the page's address (?from=&to=, e.g. a shared link), else the month to date. */
export function periodOf(params: URLSearchParams, today: Date): [string, string] {
  const from = params.get('from');
  const to = params.get('to');
  return from && to && DAY.test(from) && DAY.test(to) ? [from, to] : monthToDate(today);
}
