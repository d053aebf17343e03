/** Minimal typings for the parts of lunar-javascript (6tail) that care.calendar.ts uses. */
declare module 'lunar-javascript' {
  interface SolarDay {
    toYmd(): string;
  }
  export const Lunar: { fromYmd(year: number, month: number, day: number): { getSolar(): SolarDay } };
  export const Solar: {
    fromYmd(year: number, month: number, day: number): { getLunar(): { getJieQiTable(): Record<string, SolarDay> } };
  };
  export const LunarYear: {
    fromYear(year: number): { getMonth(month: number): { getDayCount(): number } | null };
  };
}
