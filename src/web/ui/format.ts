/** Formatting shared by the pages. */

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-03-01 14:05:09` in the browser's time zone; '—' for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Chinese names sort by pinyin order of the zh-CN collation. */
export const byName = (a: string, b: string) => a.localeCompare(b, 'zh-CN');

/** An ISO instant with the browser's offset, e.g. `2026-03-01T00:00:00+08:00` (what the audit filter takes). */
export function isoWithOffset(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
