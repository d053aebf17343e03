/**
 * What a file is, decided by its bytes (magic numbers), against an allow-list. The client's
 * Content-Type and the file name's extension are claims and never decide the type; the only use
 * of the name is for plain text, which has no magic number: it must be named .txt/.csv/.tsv/.log,
 * so a script or a page (.js, .html, .svg) is refused even though it is valid text.
 */
export interface Sniffed {
  /** The Content-Type the file is stored and served with. */
  contentType: string;
  /** Extensions a name of this type may end with; the first is added when the name has none of them. */
  extensions: readonly string[];
}

const ascii = (b: Uint8Array, at: number, s: string) => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};
const bytesAt = (b: Uint8Array, at: number, sig: number[]) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;

const T = {
  png: { contentType: 'image/png', extensions: ['.png'] },
  jpeg: { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg', '.jfif'] },
  gif: { contentType: 'image/gif', extensions: ['.gif'] },
  webp: { contentType: 'image/webp', extensions: ['.webp'] },
  pdf: { contentType: 'application/pdf', extensions: ['.pdf'] },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'] },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'] },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['.pptx'] },
  cfb: { contentType: 'application/x-ole-storage', extensions: ['.doc', '.xls', '.ppt', '.msg', '.wps', '.et', '.dps'] },
  mp3: { contentType: 'audio/mpeg', extensions: ['.mp3'] },
  wav: { contentType: 'audio/wav', extensions: ['.wav'] },
  amr: { contentType: 'audio/amr', extensions: ['.amr'] },
  amrWb: { contentType: 'audio/amr-wb', extensions: ['.awb', '.amr'] },
  mp4: { contentType: 'audio/mp4', extensions: ['.m4a', '.mp4', '.m4b', '.3gp'] },
  text: { contentType: 'text/plain; charset=utf-8', extensions: ['.txt', '.log'] },
  textGb: { contentType: 'text/plain; charset=gb18030', extensions: ['.txt', '.log'] },
  csv: { contentType: 'text/csv; charset=utf-8', extensions: ['.csv', '.tsv'] },
  csvGb: { contentType: 'text/csv; charset=gb18030', extensions: ['.csv', '.tsv'] },
} satisfies Record<string, Sniffed>;

/** Names in a zip's central directory (bounded), or null when it is not a well-formed zip. */
function zipNames(b: Uint8Array): string[] | null {
  // End of central directory: 22 bytes + a comment of at most 65535, at the very end.
  const min = Math.max(0, b.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = b.length - 22; i >= min; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = u16(b, eocd + 10);
  let at = u32(b, eocd + 16);
  const names: string[] = [];
  const dec = new TextDecoder();
  for (let n = 0; n < count && n < 10_000; n++) {
    if (!bytesAt(b, at, [0x50, 0x4b, 0x01, 0x02]) || at + 46 > b.length) return null;
    const nameLen = u16(b, at + 28);
    const extraLen = u16(b, at + 30);
    const commentLen = u16(b, at + 32);
    if (at + 46 + nameLen > b.length) return null;
    names.push(dec.decode(b.subarray(at + 46, at + 46 + nameLen)));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Office Open XML: a zip with [Content_Types].xml; the main part says which. Macro-enabled files are refused. */
function ooxml(b: Uint8Array): Sniffed | null {
  const names = zipNames(b);
  if (!names || !names.includes('[Content_Types].xml')) return null;
  if (names.some((n) => /vbaProject\.bin$/i.test(n))) return null;
  if (names.some((n) => n.startsWith('word/'))) return T.docx;
  if (names.some((n) => n.startsWith('xl/'))) return T.xlsx;
  if (names.some((n) => n.startsWith('ppt/'))) return T.pptx;
  return null;
}

/** An MPEG-1/2 Layer III frame header (an MP3 without an ID3 tag). */
function mp3Frame(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || (b[1] & 0xe0) !== 0xe0) return false;
  const version = (b[1] >> 3) & 3; // 1 is reserved
  const layer = (b[1] >> 1) & 3; // 1 = Layer III
  const bitrate = b[2] >> 4;
  const rate = (b[2] >> 2) & 3;
  return version !== 1 && layer === 1 && bitrate !== 0 && bitrate !== 15 && rate !== 3;
}

const MP4_BRANDS = new Set(['M4A ', 'M4B ', 'mp41', 'mp42', 'isom', 'iso2', '3gp4', '3gp5', '3gp6']);

/** Markup a browser could render as a page (HTML, SVG, XML): refused even inside a .txt. */
const MARKUP = /^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|div|a\s|img|style|title|meta|!--)/i;

function textOf(b: Uint8Array): { charset: 'utf-8' | 'gb18030'; text: string } | null {
  if (b.includes(0)) return null;
  try {
    return { charset: 'utf-8', text: new TextDecoder('utf-8', { fatal: true }).decode(b) };
  } catch {
    /* not UTF-8 */
  }
  try {
    return { charset: 'gb18030', text: new TextDecoder('gb18030', { fatal: true }).decode(b) };
  } catch {
    return null;
  }
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** The allowed type of these bytes, or null (refuse). `name` only matters for plain text (see above). */
export function sniff(b: Uint8Array, name: string): Sniffed | null {
  if (b.length === 0) return null;
  if (bytesAt(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return T.png;
  if (bytesAt(b, 0, [0xff, 0xd8, 0xff])) return T.jpeg;
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return T.gif;
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return T.webp;
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return T.wav;
  if (ascii(b, 0, '%PDF-')) return T.pdf;
  if (bytesAt(b, 0, [0x50, 0x4b, 0x03, 0x04])) return ooxml(b);
  if (bytesAt(b, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return T.cfb;
  if (ascii(b, 0, '#!AMR-WB\n')) return T.amrWb;
  if (ascii(b, 0, '#!AMR\n')) return T.amr;
  if (ascii(b, 4, 'ftyp') && MP4_BRANDS.has(String.fromCharCode(...b.subarray(8, 12)))) return T.mp4;
  if (ascii(b, 0, 'ID3') || mp3Frame(b)) return T.mp3;

  const ext = extensionOf(name);
  const isCsv = ext === '.csv' || ext === '.tsv';
  if (!isCsv && !T.text.extensions.includes(ext)) return null;
  const text = textOf(b);
  if (!text || MARKUP.test(text.text.replace(/^\uFEFF/, ''))) return null;
  if (isCsv) return text.charset === 'utf-8' ? T.csv : T.csvGb;
  return text.charset === 'utf-8' ? T.text : T.textGb;
}

/** The name to store: as given, with the detected type's extension added when it ends in none of its own. */
export function nameForType(name: string, type: Sniffed): string {
  return type.extensions.includes(extensionOf(name)) ? name : `${name}${type.extensions[0]}`;
}
