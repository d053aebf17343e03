import { describe, expect, it } from 'vitest';
import { MAX_CELL_CHARS, safeCell } from './spreadsheet.ts';

describe('safeCell', () => {
  it('escapes text that a spreadsheet would read as a formula', () => {
    expect(safeCell('=HYPERLINK("http://evil.example","点我")')).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(safeCell('+86 138 0000 0000')).toBe("'+86 138 0000 0000");
    expect(safeCell('-2+3')).toBe("'-2+3");
    expect(safeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeCell('\t=1+1')).toBe("'\t=1+1");
    expect(safeCell('\r=1+1')).toBe("'\r=1+1");
  });

  it('leaves ordinary text, numbers, dates and empty values alone', () => {
    expect(safeCell('客房淋浴水小且发黄')).toBe('客房淋浴水小且发黄');
    expect(safeCell('A-20261125-0001')).toBe('A-20261125-0001');
    expect(safeCell('1+1=2')).toBe('1+1=2');
    expect(safeCell('')).toBe('');
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(true)).toBe(true);
    const d = new Date('2026-11-25T00:00:00Z');
    expect(safeCell(d)).toBe(d);
    expect(safeCell(null)).toBeNull();
    expect(safeCell(undefined)).toBeUndefined();
  });

  it('drops characters an XLSX cannot hold and cuts text to the cell limit', () => {
    expect(safeCell('a\u0000b\u0007c\nd')).toBe('abc\nd');
    expect(safeCell('\u0001=1')).toBe("'=1"); // hiding the formula behind a dropped character does not help
    expect(safeCell('x'.repeat(MAX_CELL_CHARS + 10))).toHaveLength(MAX_CELL_CHARS);
  });
});
