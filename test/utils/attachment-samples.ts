import { crc32 } from 'node:zlib';

/** Tiny real files of every kind the attachment allow-list knows, and some it refuses. */
const b64 = (s: string) => Buffer.from(s, 'base64');
const u16 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };

/** A zip of stored (uncompressed) entries with its central directory. */
export function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const n = Buffer.from(name);
    const data = Buffer.from(text);
    const crc = crc32(data);
    const common = Buffer.concat([u16(20), u16(0), u16(0), u16(0), u16(0x21), u32(crc), u32(data.length), u32(data.length), u16(n.length), u16(0)]);
    const local = Buffer.concat([u32(0x04034b50), common, n, data]);
    centrals.push(Buffer.concat([u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u32(0), u32(offset), n]));
    locals.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(centrals.length), u16(centrals.length), u32(cd.length), u32(offset), u16(0)]);
  return Buffer.concat([...locals, cd, eocd]);
}

const contentTypes = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

function wav(): Buffer {
  const fmt = Buffer.concat([Buffer.from('fmt '), u32(16), u16(1), u16(1), u32(8000), u32(16000), u16(2), u16(16)]);
  const data = Buffer.concat([Buffer.from('data'), u32(4), Buffer.alloc(4)]);
  return Buffer.concat([Buffer.from('RIFF'), u32(4 + fmt.length + data.length), Buffer.from('WAVE'), fmt, data]);
}

export const samples = {
  png: b64('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='),
  jpeg: Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffd9', 'hex'),
  gif: b64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'),
  webp: b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=='),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n'),
  docx: zip({ '[Content_Types].xml': contentTypes, '_rels/.rels': '<Relationships/>', 'word/document.xml': '<w:document/>' }),
  xlsx: zip({ '[Content_Types].xml': contentTypes, 'xl/workbook.xml': '<workbook/>' }),
  pptx: zip({ '[Content_Types].xml': contentTypes, 'ppt/presentation.xml': '<p:presentation/>' }),
  cfb: Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(16), Buffer.from('3e000300feff0900', 'hex'), Buffer.alloc(512 - 32)]),
  mp3: Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0]), Buffer.from('fffb9064', 'hex'), Buffer.alloc(413)]),
  mp3Frame: Buffer.concat([Buffer.from('fffb9064', 'hex'), Buffer.alloc(413)]),
  wav: wav(),
  amr: Buffer.concat([Buffer.from('#!AMR\n'), Buffer.from([0x3c]), Buffer.alloc(31)]),
  m4a: Buffer.concat([u32be(24), Buffer.from('ftypM4A '), Buffer.alloc(4), Buffer.from('M4A isom'), u32be(8), Buffer.from('free')]),
  textUtf8: Buffer.from('来电记录\n2026-11-25 客人反映热水不足\n'),
  csvUtf8: Buffer.from('\uFEFF姓名,电话\n张三,13800000000\n'),
  /** 你好，世界 in GB18030 (not valid UTF-8). */
  textGb18030: Buffer.from('c4e3bac3a3accac0bde70d0a', 'hex'),
  // Refused:
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'),
  html: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
  js: Buffer.from('fetch("/api/auth/me").then(r => r.json()).then(alert);\n'),
  xml: Buffer.from('<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>'),
  exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), u32(64), Buffer.from('PE\0\0'), Buffer.alloc(64)]),
  plainZip: zip({ 'readme.txt': 'hello' }),
  docm: zip({ '[Content_Types].xml': contentTypes, 'word/document.xml': '<w:document/>', 'word/vbaProject.bin': 'x' }),
};

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
