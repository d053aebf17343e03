/**
 * Work order numbers: `<company code>-<local day>-<daily sequence>`, e.g. `A-20261125-0001`.
 * The day is the company's local calendar day, so a call at 00:30 in 洛阳 counts on the new day
 * even though it is still yesterday in UTC. The sequence comes from `ticket_counters` in the
 * intake transaction; it is padded to 4 digits and simply grows past 9999.
 */
// Building an Intl.DateTimeFormat costs far more than formatting with one (≈ 0.8 ms per work-order
// create before this cache, bench/README.md); zones are few, so one formatter per zone is kept.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dayFormats.size < 1000) dayFormats.set(timeZone, f);
  }
  return f;
}

export function localDay(instant: Date, timeZone: string): string {
  const parts = dayFormat(timeZone).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}${get('month')}${get('day')}`;
}

export function ticketNumber(companyCode: string, day: string, seq: number): string {
  return `${companyCode}-${day}-${String(seq).padStart(4, '0')}`;
}

/** The UTC instant at which the local day after `instant` begins in `timeZone` (end of "today"). */
export function endOfLocalDay(instant: Date, timeZone: string): Date {
  const day = localDay(instant, timeZone);
  // Walk forward in hours until the local day changes, then back in minutes to its first minute.
  let t = new Date(instant.getTime());
  while (localDay(t, timeZone) === day) t = new Date(t.getTime() + 3_600_000);
  while (localDay(new Date(t.getTime() - 60_000), timeZone) !== day) t = new Date(t.getTime() - 60_000);
  return new Date(Math.floor(t.getTime() / 60_000) * 60_000);
}
