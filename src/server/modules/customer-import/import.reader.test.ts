import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mapRow, suggestMapping } from './import.mapping.ts';
import { detectEncoding, readCsv, sniffFormat, utf8Whole, type RawRow } from './import.reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Buffer | string) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const all = async (g: AsyncGenerator<RawRow>) => {
  const out: RawRow[] = [];
  for await (const r of g) out.push(r);
  return out;
};

describe('utf8Whole (exceljs decodes each chunk on its own)', () => {
  it('never cuts a character, wherever the chunks split, so each chunk decodes on its own', async () => {
    const text = '重点客户，王秀兰 😀 a';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      async function* chunks() {
        yield bytes.subarray(0, cut);
        yield bytes.subarray(cut);
      }
      let decoded = '';
      for await (const c of utf8Whole(chunks())) decoded += new TextDecoder().decode(c as Buffer);
      expect(decoded, `cut at ${cut}`).toBe(text);
    }
  });
});

describe('CSV reading', () => {
  it('handles a BOM, CRLF, quotes, doubled quotes and line breaks inside quotes, and numbers lines as the file does', async () => {
    const p = file('a.csv', '\uFEFF姓名,备注\r\n张三,"第一行\r\n第二行，""引号"""\r\n李四,\r\n\r\n王五,"a,b"');
    const rows = await all(readCsv(p, 'utf-8'));
    expect(rows).toEqual([
      { line: 1, cells: ['姓名', '备注'] },
      { line: 2, cells: ['张三', '第一行\n第二行，"引号"'] },
      { line: 4, cells: ['李四', ''] },
      { line: 5, cells: [''] },
      { line: 6, cells: ['王五', 'a,b'] },
    ]);
  });

  it('takes ; or tab as the delimiter when the header uses it', async () => {
    expect((await all(readCsv(file('b.csv', '姓名;电话\n张三;138\n'), 'utf-8')))[1].cells).toEqual(['张三', '138']);
    expect((await all(readCsv(file('c.csv', '姓名\t电话\n张三\t138\n'), 'utf-8')))[1].cells).toEqual(['张三', '138']);
  });

  it('refuses an unclosed quote as a broken file', async () => {
    await expect(all(readCsv(file('d.csv', '姓名,备注\n张三,"没有结束\n'), 'utf-8'))).rejects.toMatchObject({ code: 'IMPORT_FILE_INVALID' });
  });

  it('tells the format by content and the encoding by decoding', async () => {
    expect(await sniffFormat(file('x.bin', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2])))).toBe('xlsx');
    expect(await sniffFormat(file('y.bin', '姓名\n'))).toBe('csv');
    await expect(sniffFormat(file('z.bin', Buffer.from([0x89, 0x50, 0, 0])))).rejects.toMatchObject({ code: 'IMPORT_FILE_TYPE' });
    expect(await detectEncoding(file('u.csv', '姓名\n张三\n'))).toBe('utf-8');
    expect(await detectEncoding(file('g.csv', Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x0a])))).toBe('gb18030'); // 姓名 in GBK
    await expect(detectEncoding(file('n.csv', Buffer.from([0x41, 0xff, 0xff, 0x0a])))).rejects.toMatchObject({ code: 'IMPORT_ENCODING' });
  });
});

describe('mapping', () => {
  it('suggests fields from Chinese and English headers, each field once', () => {
    expect(suggestMapping(['姓名', '手机号码', 'E-mail', '会员卡号', '备注说明', '客户等级', 'xyz', '电话'])).toEqual(['name', 'phone', 'email', 'memberCard', 'notes', 'tier', null, null]);
    expect(suggestMapping(['Name', 'Mobile', 'Tier', 'VIP', 'Branch Code'])).toEqual(['name', 'phone', 'tier', 'vip', 'unit']);
  });

  it('turns cell text into the contract’s values, and refuses formulas', () => {
    const m = mapRow(['王秀兰', '重点客户', '是', '2026/9/1', '女', 'A 公司客户', '常客，早餐', '=HYPERLINK("x")', { formula: 'A1' }], ['name', 'tier', 'vip', 'birthday', 'gender', 'category', 'tags', 'notes', 'address']);
    expect(m.input).toEqual({ name: '王秀兰', tier: 'key', vip: true, birthday: '2026-09-01', gender: 'female', category: 'A', tags: ['常客', '早餐'] });
    expect(m.problems.map((p) => [p.field, p.code])).toEqual([['notes', 'FORMULA'], ['address', 'FORMULA']]);
    expect(mapRow(['', null, '  '], ['name', 'phone', 'notes']).empty).toBe(true);
    expect(mapRow(['钻石'], ['tier']).problems).toEqual([expect.objectContaining({ field: 'tier', code: 'INVALID', zh: '客户等级须为 战略、重点 或 普通' })]);
  });
});
