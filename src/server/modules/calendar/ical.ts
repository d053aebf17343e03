/**
 * iCalendar (RFC 5545) import/export of a calendar's days off and make-up working days: one all-day
 * VEVENT per run of consecutive days, kind in X-KEFU-KIND (and CATEGORIES, which other calendar apps
 * display). The importer is tolerant of what those apps emit (CRLF or LF, folded lines, extra
 * properties and components) but strict about what it keeps, and reports errors by line number.
 */
import type { DayKind, DayRange } from './calendar.types.ts';
import { isIsoDate } from './calendar.types.ts';
import { dayNumber, isoDate, yearOfDay } from './tz.ts';

export const ICAL_MAX_BYTES = 1024 * 1024;
export const ICAL_MAX_EVENTS = 2000;
/** One event may cover at most this many days (a whole year off is already implausible). */
export const ICAL_MAX_EVENT_DAYS = 366;
const MAX_ERRORS = 50;

export interface ICalError {
  /** 1-based physical line where the offending content line starts (0: the file as a whole). */
  readonly line: number;
  readonly message: string;
}
export type ICalResult = { ok: true; ranges: DayRange[] } | { ok: false; errors: ICalError[] };

// ---- days <-> ranges ----

/** Group day sets into runs of consecutive days (for export); summary names each run. */
export function rangesFromDays(
  holidays: ReadonlySet<string>,
  workdays: ReadonlySet<string>,
  summary: (kind: DayKind, first: string) => string = (k) => (k === 'HOLIDAY' ? '休 Day off' : '班 Working day'),
): DayRange[] {
  const out: DayRange[] = [];
  for (const [kind, days] of [['HOLIDAY', holidays], ['WORKDAY', workdays]] as const) {
    const sorted = [...days].map(dayNumber).sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      const first = isoDate(sorted[i]);
      out.push({ kind, first, last: isoDate(sorted[j]), summary: summary(kind, first) });
      i = j + 1;
    }
  }
  return out.sort((a, b) => a.first.localeCompare(b.first));
}

/** Expand ranges into day sets and the years they touch (for import into a calendar). */
export function daysFromRanges(ranges: readonly DayRange[]): { holidays: Set<string>; workdays: Set<string>; years: number[] } {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const years = new Set<number>();
  for (const r of ranges)
    for (let d = dayNumber(r.first); d <= dayNumber(r.last); d++) {
      (r.kind === 'HOLIDAY' ? holidays : workdays).add(isoDate(d));
      years.add(yearOfDay(d));
    }
  return { holidays, workdays, years: [...years].sort((a, b) => a - b) };
}

// ---- export ----

const compact = (iso: string) => iso.replaceAll('-', '');
const escapeText = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

/** Fold to 75 octets per line (RFC 5545 §3.1) without splitting a UTF-8 character. */
function fold(line: string): string {
  const enc = new TextEncoder();
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    const limit = out.length === 0 ? 75 : 74; // continuation lines spend one octet on the leading space
    if (bytes + n > limit) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

export interface ICalExportOptions {
  readonly name?: string;
  /** DTSTAMP of every event; pass a fixed date for reproducible output. */
  readonly stamp?: Date;
}

export function toICalendar(ranges: readonly DayRange[], opts: ICalExportOptions = {}): string {
  const stamp = (opts.stamp ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kefu//Working calendar//EN', 'CALSCALE:GREGORIAN'];
  if (opts.name) lines.push(`X-WR-CALNAME:${escapeText(opts.name)}`);
  for (const r of ranges) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${r.kind.toLowerCase()}-${r.first}@kefu`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${compact(r.first)}`,
      `DTEND;VALUE=DATE:${compact(isoDate(dayNumber(r.last) + 1))}`, // DTEND of an all-day event is exclusive
      `SUMMARY:${escapeText(r.summary)}`,
      `CATEGORIES:${r.kind}`,
      `X-KEFU-KIND:${r.kind}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

// ---- import ----

interface ContentLine {
  line: number;
  name: string;
  params: Map<string, string>;
  value: string;
}

/** Unfold (a line starting with space or tab continues the previous one), keeping start line numbers. */
function unfold(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && out.length > 0) out[out.length - 1].text += raw.slice(1);
    else out.push({ line: i + 1, text: raw });
  });
  return out.filter((l) => l.text.trim() !== '');
}

/** NAME;PARAM=VALUE;PARAM="quoted:value":value — the first ':' outside quotes ends the parameters. */
function parseLine(line: number, text: string): ContentLine | null {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (!quoted && (c === ';' || c === ':')) {
      parts.push(cur);
      cur = '';
      if (c === ':') {
        const params = new Map<string, string>();
        for (const p of parts.slice(1)) {
          const eq = p.indexOf('=');
          if (eq > 0) params.set(p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"|"$/g, ''));
        }
        return { line, name: parts[0].toUpperCase(), params, value: text.slice(i + 1) };
      }
      continue;
    }
    cur += c;
  }
  return null;
}

const unescapeText = (s: string) => s.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** YYYYMMDD → 'YYYY-MM-DD', or an error message. */
function allDayDate(cl: ContentLine): string | { error: string } {
  const value = cl.value.trim();
  if (/T/i.test(value) || (cl.params.has('VALUE') && cl.params.get('VALUE')!.toUpperCase() !== 'DATE'))
    return { error: `${cl.name} must be an all-day date (${cl.name};VALUE=DATE:YYYYMMDD), got ${value}` };
  const iso = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` : '';
  return isIsoDate(iso) ? iso : { error: `${cl.name} is not a date YYYYMMDD: ${value}` };
}

interface EventDraft {
  line: number;
  props: ContentLine[];
}

function readEvent(ev: EventDraft, errors: ICalError[]): (DayRange & { line: number }) | null {
  const get = (name: string) => ev.props.find((p) => p.name === name);
  const fail = (line: number, message: string) => (errors.push({ line, message }), null);
  if (get('RRULE') || get('RDATE')) return fail(ev.line, 'recurring events are not supported: list each year');
  const startLine = get('DTSTART');
  if (!startLine) return fail(ev.line, 'VEVENT without DTSTART');
  const first = allDayDate(startLine);
  if (typeof first !== 'string') return fail(startLine.line, first.error);
  let days = 1; // RFC 5545: an all-day event without DTEND or DURATION lasts one day
  const endLine = get('DTEND');
  const duration = get('DURATION');
  if (endLine) {
    const end = allDayDate(endLine);
    if (typeof end !== 'string') return fail(endLine.line, end.error);
    days = dayNumber(end) - dayNumber(first);
    if (days < 1) return fail(endLine.line, `DTEND ${end} is not after DTSTART ${first}`);
  } else if (duration) {
    const m = /^P(\d+)([DW])$/i.exec(duration.value.trim());
    if (!m) return fail(duration.line, `DURATION must be whole days or weeks (P3D, P1W), got ${duration.value}`);
    days = Number(m[1]) * (m[2].toUpperCase() === 'W' ? 7 : 1);
    if (days < 1) return fail(duration.line, 'DURATION must be at least one day');
  }
  if (days > ICAL_MAX_EVENT_DAYS) return fail(ev.line, `an event may cover at most ${ICAL_MAX_EVENT_DAYS} days, this one ${days}`);
  // Kind: X-KEFU-KIND, else CATEGORIES; both present must agree.
  const kindLine = get('X-KEFU-KIND');
  const xKind = kindLine?.value.trim().toUpperCase();
  if (kindLine && xKind !== 'HOLIDAY' && xKind !== 'WORKDAY')
    return fail(kindLine.line, `X-KEFU-KIND must be HOLIDAY or WORKDAY, got ${kindLine.value}`);
  const cats = ev.props
    .filter((p) => p.name === 'CATEGORIES')
    .flatMap((p) => p.value.split(',').map((c) => c.trim().toUpperCase()))
    .filter((c): c is DayKind => c === 'HOLIDAY' || c === 'WORKDAY');
  const catKinds = [...new Set(cats)];
  if (catKinds.length > 1) return fail(ev.line, 'CATEGORIES names both HOLIDAY and WORKDAY');
  if (xKind && catKinds.length === 1 && catKinds[0] !== xKind) return fail(ev.line, `X-KEFU-KIND ${xKind} contradicts CATEGORIES ${catKinds[0]}`);
  const kind = (xKind ?? catKinds[0]) as DayKind | undefined;
  if (!kind) return fail(ev.line, 'VEVENT without X-KEFU-KIND:HOLIDAY|WORKDAY or CATEGORIES:HOLIDAY|WORKDAY');
  const summary = unescapeText(get('SUMMARY')?.value ?? '').slice(0, 500);
  return { kind, first, last: isoDate(dayNumber(first) + days - 1), summary, line: ev.line };
}

/** Parse an iCalendar text into day ranges, or every problem found (line-numbered). */
export function parseICalendar(input: string): ICalResult {
  const err = (line: number, message: string): ICalResult => ({ ok: false, errors: [{ line, message }] });
  if (typeof input !== 'string') return err(0, 'not text');
  // Characters are at least one byte, so a long string is refused before encoding it.
  if (input.length > ICAL_MAX_BYTES || new TextEncoder().encode(input).length > ICAL_MAX_BYTES)
    return err(0, `file larger than ${ICAL_MAX_BYTES} bytes`);
  const errors: ICalError[] = [];
  const ranges: (DayRange & { line: number })[] = [];
  const stack: string[] = []; // open components, outermost first
  let event: EventDraft | null = null;
  let events = 0;
  let sawCalendar = false;
  for (const { line, text } of unfold(input.replace(/^\uFEFF/, ''))) {
    if (errors.length >= MAX_ERRORS) break;
    const cl = parseLine(line, text);
    if (!cl) {
      errors.push({ line, message: `not a content line NAME:value: ${text.slice(0, 60)}` });
      continue;
    }
    const value = cl.value.trim().toUpperCase();
    if (cl.name === 'BEGIN') {
      if (stack.length === 0 && value !== 'VCALENDAR') errors.push({ line, message: `expected BEGIN:VCALENDAR, got BEGIN:${value}` });
      if (value === 'VCALENDAR') sawCalendar = true;
      if (value === 'VEVENT' && stack.length === 1 && stack[0] === 'VCALENDAR') {
        if (++events > ICAL_MAX_EVENTS) return err(line, `more than ${ICAL_MAX_EVENTS} events`);
        event = { line, props: [] };
      }
      stack.push(value);
    } else if (cl.name === 'END') {
      if (stack[stack.length - 1] !== value) {
        errors.push({ line, message: `END:${value} does not close ${stack.length ? `BEGIN:${stack[stack.length - 1]}` : 'anything'}` });
        continue;
      }
      stack.pop();
      if (value === 'VEVENT' && event && stack.length === 1) {
        const r = readEvent(event, errors);
        if (r) ranges.push(r);
        event = null;
      }
    } else if (stack.length === 0) {
      errors.push({ line, message: `content outside BEGIN:VCALENDAR … END:VCALENDAR: ${cl.name}` });
    } else if (event && stack.length === 2) {
      event.props.push(cl); // properties of nested components (VALARM) are not the event's
    }
  }
  if (errors.length === 0 && stack.length > 0) errors.push({ line: 0, message: `unterminated BEGIN:${stack[stack.length - 1]}` });
  if (errors.length === 0 && !sawCalendar) errors.push({ line: 0, message: 'no BEGIN:VCALENDAR found' });
  // A day cannot be both off and a working day; name both events.
  const seen = new Map<string, DayRange & { line: number }>();
  for (const r of ranges)
    for (let d = dayNumber(r.first); d <= dayNumber(r.last); d++) {
      const day = isoDate(d);
      const other = seen.get(day);
      if (other && other.kind !== r.kind) {
        errors.push({ line: r.line, message: `${day} is both a ${other.kind} (line ${other.line}) and a ${r.kind}` });
        break;
      }
      seen.set(day, r);
    }
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
  return { ok: true, ranges: ranges.map(({ line: _line, ...r }) => r).sort((a, b) => a.first.localeCompare(b.first)) };
}
