import { confidentialityLevels, protectedSections, type ConfidentialityLevel, type IdentifierKind, type ProtectedSection } from '../../../contracts/customers.ts';

/** Masking of protected values (pure): what a reader below the file's level, or before opening it, sees. */

const stars = (n: number) => '*'.repeat(Math.max(n, 1));

/** 13812345678 → 138****5678; short numbers keep their first and last digit. */
export function maskPhone(p: string): string {
  const plus = p.startsWith('+') ? '+' : '';
  const d = p.replace(/^\+/, '');
  if (d.length >= 7) return `${plus}${d.slice(0, 3)}****${d.slice(-4)}`;
  return `${plus}${d.slice(0, 1)}${stars(d.length - 2)}${d.length > 1 ? d.slice(-1) : ''}`;
}

/** wang.xiulan@example.com → w***@example.com */
export function maskEmail(e: string): string {
  const at = e.lastIndexOf('@');
  if (at < 1) return stars(e.length);
  return `${e[0]}***${e.slice(at)}`;
}

/** 410302199001011234 → 4103**********1234; a member card keeps its last four. */
export function maskIdentifier(kind: IdentifierKind, v: string): string {
  if (kind === 'phone') return maskPhone(v);
  if (kind === 'email') return maskEmail(v);
  if (kind === 'id_number') return v.length > 8 ? `${v.slice(0, 4)}${stars(v.length - 8)}${v.slice(-4)}` : stars(v.length);
  return v.length > 4 ? `${stars(v.length - 4)}${v.slice(-4)}` : stars(v.length);
}

/** The calendar day of `now` in a time zone, as YYYY-MM-DD. */
export function dayIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The level in force: 普通 from the declassification day on (保密期限届满,自行解密). */
export function effectiveLevel(level: string, declassifyOn: string | null, today: string): ConfidentialityLevel {
  const l = (confidentialityLevels as readonly string[]).includes(level) ? (level as ConfidentialityLevel) : 'top_secret';
  if (l !== 'ordinary' && declassifyOn !== null && today >= declassifyOn) return 'ordinary';
  return l;
}

/** The sections protected by the file's level; a stored list that does not parse protects everything. */
export function sectionsOf(stored: string): ProtectedSection[] {
  try {
    const s = JSON.parse(stored) as unknown;
    if (Array.isArray(s) && s.length > 0 && s.every((x) => (protectedSections as readonly string[]).includes(String(x)))) return s as ProtectedSection[];
  } catch {
    /* fall through */
  }
  return [...protectedSections];
}
