/**
 * Cells for spreadsheets we hand out (XLSX, CSV). Text that came from users must stay text: a
 * cell starting with = + - @ (or a tab / carriage return, which some programs skip before looking
 * for one) could be evaluated as a formula ("CSV/formula injection", e.g. =HYPERLINK(...)) when the
 * file is opened or re-saved. Such text gets a leading apostrophe, so it is always shown as
 * written and never evaluated. Shared by the SLA report export and the customer-file export.
 */
export type CellValue = string | number | boolean | Date | null | undefined;

/** Excel's limit on the characters of one cell. */
export const MAX_CELL_CHARS = 32_767;

const FORMULA_START = /^[=+\-@\t\r]/;
// Characters XML 1.0 does not allow (an XLSX is XML): dropped rather than producing a broken file.
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** The value made safe for a cell: text never starts a formula, fits a cell and is valid XML; other values pass. */
export function safeCell<T extends CellValue>(value: T): T extends string ? string : T;
export function safeCell(value: CellValue): CellValue {
  if (typeof value !== 'string') return value;
  let s = value.replace(XML_ILLEGAL, '');
  if (FORMULA_START.test(s)) s = `'${s}`;
  return s.length > MAX_CELL_CHARS ? s.slice(0, MAX_CELL_CHARS) : s;
}
