import { describe, expect, it } from 'vitest';
import { samples } from '../../../../test/utils/attachment-samples.ts';
import { nameForType, sniff } from './attachment.sniff.ts';

const typeOf = (bytes: Uint8Array, name: string) => sniff(bytes, name)?.contentType ?? null;

describe('attachment type by content (magic bytes)', () => {
  it.each([
    ['png', samples.png, 'photo.png', 'image/png'],
    ['jpeg', samples.jpeg, '漏水.jpg', 'image/jpeg'],
    ['gif', samples.gif, 'a.gif', 'image/gif'],
    ['webp', samples.webp, 'a.webp', 'image/webp'],
    ['pdf', samples.pdf, '发票.pdf', 'application/pdf'],
    ['docx', samples.docx, '投诉信.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', samples.xlsx, 'a.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['pptx', samples.pptx, 'a.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['legacy Office (OLE)', samples.cfb, 'a.doc', 'application/x-ole-storage'],
    ['mp3 with ID3', samples.mp3, '录音.mp3', 'audio/mpeg'],
    ['mp3 frame', samples.mp3Frame, 'call.mp3', 'audio/mpeg'],
    ['wav', samples.wav, 'call.wav', 'audio/wav'],
    ['amr', samples.amr, 'call.amr', 'audio/amr'],
    ['m4a', samples.m4a, 'call.m4a', 'audio/mp4'],
    ['UTF-8 text', samples.textUtf8, '记录.txt', 'text/plain; charset=utf-8'],
    ['UTF-8 csv', samples.csvUtf8, '名单.csv', 'text/csv; charset=utf-8'],
    ['GB18030 text', samples.textGb18030, 'gbk.txt', 'text/plain; charset=gb18030'],
  ])('accepts %s', (_what, bytes, name, type) => {
    expect(typeOf(bytes, name)).toBe(type);
  });

  it('decides by the bytes, not by the name', () => {
    expect(typeOf(samples.png, 'invoice.pdf')).toBe('image/png');
    expect(typeOf(samples.pdf, 'no-extension')).toBe('application/pdf');
  });

  it.each([
    ['svg', samples.svg, 'logo.svg'],
    ['svg named .txt', samples.svg, 'logo.txt'],
    ['html', samples.html, 'page.html'],
    ['html named .png', samples.html, 'photo.png'],
    ['html named .txt', samples.html, 'notes.txt'],
    ['xml', samples.xml, 'data.xml'],
    ['javascript', samples.js, 'app.js'],
    ['executable', samples.exe, 'setup.exe'],
    ['executable named .jpg', samples.exe, 'photo.jpg'],
    ['a plain zip', samples.plainZip, 'files.zip'],
    ['a macro-enabled document', samples.docm, 'letter.docx'],
    ['an empty file', Buffer.alloc(0), 'empty.txt'],
    ['text with NUL', Buffer.from('abc\0def'), 'a.txt'],
    ['bytes that are neither UTF-8 nor GB18030', Buffer.from([0x41, 0xff, 0xfe, 0x42]), 'a.txt'],
  ])('refuses %s', (_what, bytes, name) => {
    expect(sniff(bytes, name)).toBeNull();
  });

  it('adds the detected type’s extension when the name does not end in one of its own', () => {
    expect(nameForType('invoice.pdf', sniff(samples.png, 'invoice.pdf')!)).toBe('invoice.pdf.png');
    expect(nameForType('报告.html', sniff(samples.pdf, '报告.html')!)).toBe('报告.html.pdf');
    expect(nameForType('漏水.JPEG', sniff(samples.jpeg, '漏水.JPEG')!)).toBe('漏水.JPEG');
  });
});
