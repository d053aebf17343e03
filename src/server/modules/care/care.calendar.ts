import { Lunar, LunarYear, Solar } from 'lunar-javascript';

/**
 * The care calendar 关怀日历: festival dates and birthdays for any year, computed with the kept
 * lunar-calendar library `lunar-javascript` (6tail) — no hand-made tables. Pure: no I/O.
 */
export const FESTIVALS = ['spring', 'lantern', 'qingming', 'dragon_boat', 'mid_autumn'] as const;
export type Festival = (typeof FESTIVALS)[number];

const LUNAR_FESTIVALS: Record<Exclude<Festival, 'qingming'>, [number, number]> = {
  spring: [1, 1], // 春节 正月初一
  lantern: [1, 15], // 元宵 正月十五
  dragon_boat: [5, 5], // 端午 五月初五
  mid_autumn: [8, 15], // 中秋 八月十五
};

/** The solar date (YYYY-MM-DD) of a festival in the given solar year. */
export function festivalDate(festival: Festival, year: number): string {
  if (festival === 'qingming') return Solar.fromYmd(year, 1, 1).getLunar().getJieQiTable()['清明']!.toYmd();
  const [m, d] = LUNAR_FESTIVALS[festival];
  return Lunar.fromYmd(year, m, d).getSolar().toYmd();
}

/**
 * The solar date in `year` of a birthday stored as MM-DD (from YYYY-MM-DD or MM-DD).
 * Solar: Feb 29 in a non-leap year falls on Feb 28. Lunar (农历): the lunar month/day of lunar year
 * `year` (the regular month, never the leap month); when that month is short (29 days) a 30th is
 * celebrated on the month's last day (29th) — the customary choice. Returns null for a malformed date.
 */
export function birthdayDate(birthday: string, lunar: boolean, year: number): string | null {
  const m = /^(?:\d{4}-)?(\d{2})-(\d{2})$/.exec(birthday);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1) return null;
  if (lunar) {
    if (day > 30) return null;
    const count = LunarYear.fromYear(year).getMonth(month)?.getDayCount() ?? 29;
    return Lunar.fromYmd(year, month, Math.min(day, count)).getSolar().toYmd();
  }
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > 31) return null;
  return `${year}-${m[1]}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** The date `days` days before a YYYY-MM-DD date. */
export function daysBefore(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - days);
  return t.toISOString().slice(0, 10);
}
