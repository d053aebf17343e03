import { createReadStream, type ReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * Reading an uploaded customer file row by row with flat memory: CSV through a streaming decoder and
 * a quote-aware record splitter (quotes, "" escapes and line breaks inside quotes), XLSX through
 * exceljs's streaming WorkbookReader (first worksheet only). The format is told by the bytes, never
 * by the name: a zip is an XLSX, text that decodes as UTF-8 or GB18030 is a CSV.
 */

export type ImportFormat = 'csv' | 'xlsx';
export type ImportEncoding = 'utf-8' | 'gb18030';

/** A cell as read: text, or for XLSX a number, boolean or date; `formula` when the cell holds one. */
export type RawCell = string | number | boolean | Date | { formula: string } | null;

export interface RawRow {
  /** Line (CSV, the first record's line) or row number (XLSX), 1-based; the header is line 1 when it is the first. */
  line: number;
  cells: RawCell[];
}

/** A problem with the whole file: the pass stops, nothing is written. */
export class ImportFileError extends Error {
  constructor(
    readonly code: 'IMPORT_FILE_TYPE' | 'IMPORT_ENCODING' | 'IMPORT_FILE_INVALID' | 'IMPORT_NO_HEADER',
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const CHUNK = 64 * 1024;
/** One CSV field longer than this is refused as a broken file (an unclosed quote would swallow the rest). */
const MAX_FIELD_CHARS = 100_000;
const MAX_FIELDS = 1000;

/** Format by content: a zip (PK\x03\x04) is an XLSX; no NUL bytes in the first 64 KiB is text; else refused. */
export async function sniffFormat(path: string): Promise<ImportFormat> {
  const h = await open(path, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    const { bytesRead } = await h.read(buf, 0, CHUNK, 0);
    const head = buf.subarray(0, bytesRead);
    if (bytesRead === 0) throw new ImportFileError('IMPORT_NO_HEADER', '文件为空', 'the file is empty');
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
    if (head.includes(0)) throw new ImportFileError('IMPORT_FILE_TYPE', '只能导入 CSV 或 XLSX 文件', 'only CSV or XLSX files can be imported');
    return 'csv';
  } finally {
    await h.close();
  }
}

/** Decodes the whole file once, streaming, strictly as `encoding`: true when every byte sequence is valid. */
async function decodesAs(path: string, encoding: ImportEncoding): Promise<boolean> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 (with or without BOM) when it decodes cleanly, else GB18030 (a superset of GBK, Excel's default for Chinese CSV), else an error. */
export async function detectEncoding(path: string): Promise<ImportEncoding> {
  if (await decodesAs(path, 'utf-8')) return 'utf-8';
  if (await decodesAs(path, 'gb18030')) return 'gb18030';
  throw new ImportFileError('IMPORT_ENCODING', '无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV', 'unknown text encoding: save the file as CSV in UTF-8 or GBK');
}

/** Counts the bytes a stream has delivered (progress of a pass). */
export interface ByteCounter {
  bytes: number;
  total: number;
}

/** CSV records, streaming. The delimiter is the first of , ; tab found in the first line (default ,). */
export async function* readCsv(path: string, encoding: ImportEncoding, counter?: ByteCounter): AsyncGenerator<RawRow> {
  const decoder = new TextDecoder(encoding);
  const stream = createReadStream(path, { highWaterMark: CHUNK });
  let delimiter: string | null = null;
  let field = '';
  let fields: RawCell[] = [];
  let inQuotes = false;
  let quoteJustClosed = false;
  let line = 1;
  let recordLine = 1;
  let first = true;
  let pendingCR = false;
  const out: RawRow[] = [];
  const endField = () => {
    fields.push(field);
    field = '';
    if (fields.length > MAX_FIELDS) throw new ImportFileError('IMPORT_FILE_INVALID', `第 ${recordLine} 行的列数过多`, `line ${recordLine} has too many columns`);
  };
  const endRecord = () => {
    endField();
    out.push({ line: recordLine, cells: fields });
    fields = [];
  };
  const feed = (text: string) => {
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (delimiter === null) {
      const nl = text.search(/[\r\n]/);
      const head = nl < 0 ? text : text.slice(0, nl);
      const counts: [string, number][] = [',', '\t', ';'].map((d) => [d, head.split(d).length - 1]);
      counts.sort((a, b) => b[1] - a[1]);
      delimiter = counts[0][1] > 0 ? counts[0][0] : ',';
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (pendingCR) {
        pendingCR = false;
        if (ch === '\n') continue;
      }
      if (inQuotes) {
        if (ch === '"') {
          inQuotes = false;
          quoteJustClosed = true;
        } else {
          if (ch === '\n' || ch === '\r') {
            line++;
            if (ch === '\r') pendingCR = true;
            field += '\n';
          } else field += ch;
          if (field.length > MAX_FIELD_CHARS) {
            throw new ImportFileError('IMPORT_FILE_INVALID', `第 ${recordLine} 行起有未闭合的引号，或单元格过长`, `an unclosed quote or an over-long cell from line ${recordLine}`);
          }
        }
        continue;
      }
      if (ch === '"') {
        // "" inside a quoted field is a quote; a quote opening a field starts quoting; elsewhere it is text.
        if (quoteJustClosed) {
          field += '"';
          inQuotes = true;
          quoteJustClosed = false;
        } else if (field.length === 0) inQuotes = true;
        else field += ch;
        continue;
      }
      quoteJustClosed = false;
      if (ch === delimiter) endField();
      else if (ch === '\n' || ch === '\r') {
        endRecord();
        line++;
        recordLine = line;
        if (ch === '\r') pendingCR = true;
      } else {
        field += ch;
        if (field.length > MAX_FIELD_CHARS) throw new ImportFileError('IMPORT_FILE_INVALID', `第 ${recordLine} 行的单元格过长`, `an over-long cell on line ${recordLine}`);
      }
    }
  };
  try {
    for await (const chunk of stream) {
      if (counter) counter.bytes += (chunk as Buffer).length;
      feed(decoder.decode(chunk as Buffer, { stream: true }));
      yield* out.splice(0);
    }
    feed(decoder.decode());
    if (inQuotes) throw new ImportFileError('IMPORT_FILE_INVALID', `第 ${recordLine} 行起有未闭合的引号`, `an unclosed quote from line ${recordLine}`);
    if (field.length > 0 || fields.length > 0) endRecord();
    yield* out.splice(0);
  } finally {
    stream.destroy();
  }
}

function xlsxCell(v: ExcelJS.CellValue): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('formula' in v || 'sharedFormula' in v) return { formula: String((v as { formula?: string }).formula ?? (v as { sharedFormula?: string }).sharedFormula ?? '') };
    if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return { formula: String((v as { error: unknown }).error) };
  }
  return String(v);
}

/**
 * Byte chunks cut only between UTF-8 characters. exceljs 4.4's streaming reader decodes every chunk of
 * a zip entry on its own (utils/parse-sax.js: `TextDecoder.decode(chunk)` without `stream: true`), so a
 * Chinese character split across two chunks became two U+FFFD — about one cell in ten thousand ("重���").
 */
export async function* utf8Whole(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer | string> {
  let carry: Buffer | null = null;
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let end = buf.length;
    let i = end - 1;
    while (i >= 0 && end - i < 4 && (buf[i] & 0xc0) === 0x80) i--;
    if (i >= 0) {
      const lead = buf[i];
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (end - i < need) end = i;
    }
    carry = end < buf.length ? Buffer.from(buf.subarray(end)) : null;
    if (end > 0) yield buf.subarray(0, end);
  }
  if (carry) yield carry;
}

let patched = false;
/** Feeds exceljs's worksheet and shared-strings parsers whole characters only (see utf8Whole). */
function patchExcelJs(): void {
  if (patched) return;
  patched = true;
  const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as {
    _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): unknown;
    _parseSharedStrings(entry: AsyncIterable<Buffer | string>): unknown;
  };
  const worksheet = proto._parseWorksheet;
  const sharedStrings = proto._parseSharedStrings;
  if (typeof worksheet !== 'function' || typeof sharedStrings !== 'function') throw new Error('exceljs changed: review import.reader.ts utf8Whole');
  proto._parseWorksheet = function (iterator, sheetNo) {
    return worksheet.call(this, utf8Whole(iterator), sheetNo);
  };
  proto._parseSharedStrings = function (entry) {
    return sharedStrings.call(this, Readable.from(utf8Whole(entry)));
  };
}

/** XLSX rows of the first worksheet, streaming (shared strings are kept, as the format needs). */
export async function* readXlsx(path: string, counter?: ByteCounter): AsyncGenerator<RawRow> {
  patchExcelJs();
  const stream: ReadStream = createReadStream(path, { highWaterMark: CHUNK });
  if (counter) stream.on('data', (c) => (counter.bytes += (c as Buffer).length));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: RawCell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
        yield { line: row.number, cells };
      }
      break;
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('IMPORT_FILE_INVALID', 'XLSX 文件无法读取（文件已损坏或不是 Excel 工作簿）', 'the XLSX file cannot be read (damaged, or not an Excel workbook)');
  } finally {
    stream.destroy();
  }
}

export async function* readRows(path: string, format: ImportFormat, encoding: ImportEncoding, counter?: ByteCounter): AsyncGenerator<RawRow> {
  if (counter) counter.total = (await stat(path)).size;
  yield* format === 'xlsx' ? readXlsx(path, counter) : readCsv(path, encoding, counter);
}

/** A cell as trimmed text ('' when empty); dates as YYYY-MM-DD (UTC, as Excel stores them). */
export function cellText(c: RawCell | undefined): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? '' : c.toISOString().slice(0, 10);
  if (typeof c === 'object') return '';
  return String(c).trim();
}

/** The first non-empty row is the header: its line and its column names (at most `maxColumns`). */
export async function readHeader(path: string, format: ImportFormat, encoding: ImportEncoding, maxColumns: number): Promise<{ line: number; headers: string[] }> {
  for await (const row of readRows(path, format, encoding)) {
    const headers = row.cells.map(cellText);
    while (headers.length > 0 && headers.at(-1) === '') headers.pop();
    if (headers.length === 0) continue;
    if (headers.length > maxColumns) throw new ImportFileError('IMPORT_NO_HEADER', `表头超过 ${maxColumns} 列`, `the header has more than ${maxColumns} columns`);
    return { line: row.line, headers: headers.map((h) => h.slice(0, 100)) };
  }
  throw new ImportFileError('IMPORT_NO_HEADER', '文件中没有表头行', 'the file has no header row');
}
