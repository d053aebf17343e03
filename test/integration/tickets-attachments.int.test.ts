import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples } from '../utils/attachment-samples.ts';
import { addStaff, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

type Attachment = { id: string; ticketId: string; name: string; size: number; sha256: string; contentType: string; uploadedById: string; uploadedByName: string; image: boolean };

/** Attachments of work orders (附件): files outside the database, type by content, never rendered as a page. */
describe('work orders: attachments', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let agentA2: Client;
  let leadA: Client;
  let agentB: Client;

  /** Every file the store holds (temp files included). */
  const storedFiles = (dir = t.kefu.config.attachmentsDir): string[] =>
    existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? storedFiles(join(dir, e.name)) : [join(dir, e.name)])) : [];
  const rowCount = async () => Number((await t.kefu.db.selectFrom('ticket_attachments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  const upload = (c: Client, ticketId: string, bytes: Buffer, name: string | null, headers: Record<string, string> = {}, lang = 'zh-CN'): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: 'POST',
      url: `/api/tickets/${ticketId}/attachments`,
      headers: {
        'accept-language': lang,
        cookie: `kefu_session=${c.cookie}`,
        'x-csrf-token': c.csrf!,
        'content-type': 'application/octet-stream',
        ...(name === null ? {} : { 'x-file-name': encodeURIComponent(name) }),
        ...headers,
      },
      payload: bytes,
    });
  const newOrder = async (c: Client = agentA) => (await c.post('/api/tickets', await intakeBody(c, workOrders.shower))).json() as { id: string };
  const timelineKinds = async (c: Client, id: string) => ((await c.get(`/api/tickets/${id}/timeline`)).json() as { kind: string }[]).map((e) => e.kind);

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    await addStaff(t, { username: 'agent.a2', displayName: '陈客服', orgUnitId: w.units.teamA.id, roleKey: 'agent', grantUnitId: w.units.deptA.id });
    agentA = await t.login('agent.a');
    agentA2 = await t.login('agent.a2');
    leadA = await t.login('lead.a');
    agentB = await t.login('agent.b');
  });
  afterAll(() => t.close());

  it('uploads, lists and downloads the identical bytes with a Chinese file name, outside the database under a random key', async () => {
    const tk = await newOrder();
    const name = '1208房间淋浴 发黄（照片）.png';
    const res = await upload(agentA, tk.id, samples.png, name);
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as Attachment;
    const sha256 = createHash('sha256').update(samples.png).digest('hex');
    expect(a).toMatchObject({ ticketId: tk.id, name, size: samples.png.length, sha256, contentType: 'image/png', uploadedById: w.users.agentA.id, uploadedByName: '刘客服', image: true });

    const list = (await agentA.get(`/api/tickets/${tk.id}/attachments`)).json() as Attachment[];
    expect(list.map((x) => [x.id, x.name])).toEqual([[a.id, name]]);

    const dl = await agentA.get(`/api/attachments/${a.id}/content`);
    expect(dl.statusCode).toBe(200);
    expect(Buffer.compare(dl.rawPayload, samples.png)).toBe(0);
    expect(createHash('sha256').update(dl.rawPayload).digest('hex')).toBe(sha256);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="1208____ ______.png"; filename*=UTF-8''${encodeURIComponent(name).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-security-policy']).toBe("sandbox; default-src 'none'");

    // The bytes are a file named by a random key, never by the user's name.
    const files = storedFiles();
    expect(files.filter((f) => !f.includes(`${join(t.kefu.config.attachmentsDir, 'tmp')}`))).toHaveLength(await rowCount());
    expect(files.some((f) => f.includes('淋浴') || f.endsWith('.png'))).toBe(false);
    expect(await timelineKinds(agentA, tk.id)).toContain('attachment.added');
    const audit = await t.kefu.db.selectFrom('audit_entries').select(['action', 'entity_id']).where('action', '=', 'attachment.add').where('entity_id', '=', a.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('shows only raster images inline; everything else is always a download', async () => {
    const tk = await newOrder();
    const png = (await upload(agentA, tk.id, samples.png, 'a.png')).json() as Attachment;
    const pdf = (await upload(agentA, tk.id, samples.pdf, '发票.pdf')).json() as Attachment;
    const txt = (await upload(agentA, tk.id, samples.textUtf8, '记录.txt')).json() as Attachment;
    expect([pdf.contentType, txt.contentType, pdf.image, txt.image]).toEqual(['application/pdf', 'text/plain; charset=utf-8', false, false]);
    expect((await agentA.get(`/api/attachments/${png.id}/content?inline=1`)).headers['content-disposition']).toMatch(/^inline; /);
    for (const x of [pdf, txt]) {
      const res = await agentA.get(`/api/attachments/${x.id}/content?inline=1`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; /);
      expect(res.headers['content-type']).toBe(x.contentType);
      expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    }
  });

  it('stores the detected type, never the claim, and adds its extension to a misleading name', async () => {
    const tk = await newOrder();
    const res = await upload(agentA, tk.id, samples.pdf, '账单.png');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ contentType: 'application/pdf', name: '账单.png.pdf', image: false });
  });

  it('refuses forbidden types (415) and bodies over the limit (413): no row, no file', async () => {
    const tk = await newOrder();
    const rows = await rowCount();
    const files = storedFiles().length;
    for (const [bytes, name] of [[samples.svg, 'logo.svg'], [samples.html, 'photo.png'], [samples.html, '说明.txt'], [samples.js, 'app.js'], [samples.exe, 'setup.exe'], [samples.docm, 'letter.docx']] as const) {
      const res = await upload(agentA, tk.id, bytes, name, {}, 'en');
      expect(res.statusCode, name).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'ATTACHMENT_TYPE_NOT_ALLOWED', title: expect.stringContaining('not allowed') });
    }
    const big = Buffer.concat([samples.png, Buffer.alloc(t.kefu.config.attachmentMaxBytes)]);
    const tooBig = await upload(agentA, tk.id, big, 'huge.png');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', title: '附件过大', errors: [{ field: 'file', message: '附件不能超过 20 MB' }] });
    // Only raw bytes: a JSON or form body, or a client's own type claim, is not an upload.
    expect((await upload(agentA, tk.id, samples.png, 'a.png', { 'content-type': 'image/png' })).statusCode).toBe(415);
    expect((await agentA.post(`/api/tickets/${tk.id}/attachments`, { name: 'a.png', data: samples.png.toString('base64') })).statusCode).toBe(415);
    expect(await rowCount()).toBe(rows);
    expect(storedFiles()).toHaveLength(files);
    expect((await agentA.get(`/api/tickets/${tk.id}/attachments`)).json()).toEqual([]);
  });

  it('checks the file name: present, percent-encoded UTF-8, at most 200 characters, no path or control characters', async () => {
    const tk = await newOrder();
    const bad = async (headers: Record<string, string>, name: string | null = null) => {
      const res = await upload(agentA, tk.id, samples.png, name, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(400);
      expect(res.json().errors[0].field).toBe('X-File-Name');
    };
    await bad({});
    await bad({ 'x-file-name': '%E4%B8' });
    await bad({}, '../../etc/passwd.png');
    await bad({}, 'C:\\temp\\a.png');
    await bad({}, 'photo\u202Egnp.exe');
    await bad({}, 'a\nb.png');
    await bad({}, `${'长'.repeat(197)}.png`);
    expect((await upload(agentA, tk.id, samples.png, `${'长'.repeat(196)}.png`)).statusCode).toBe(201);
  });

  it('needs the CSRF token for a cookie upload', async () => {
    const tk = await newOrder();
    const res = await upload(agentA, tk.id, samples.png, 'a.png', { 'x-csrf-token': 'wrong' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_FAILED');
  });

  it('another branch gets 404 for the list, the download, an upload and a delete', async () => {
    const tk = await newOrder();
    const a = (await upload(agentA, tk.id, samples.png, 'a.png')).json() as Attachment;
    const rows = await rowCount();
    expect((await agentB.get(`/api/tickets/${tk.id}/attachments`)).statusCode).toBe(404);
    expect((await agentB.get(`/api/attachments/${a.id}/content`)).statusCode).toBe(404);
    expect((await agentB.get(`/api/attachments/${a.id}/content?inline=1`)).statusCode).toBe(404);
    expect((await upload(agentB, tk.id, samples.png, 'b.png')).statusCode).toBe(404);
    expect((await agentB.delete(`/api/attachments/${a.id}`)).statusCode).toBe(404);
    expect(await rowCount()).toBe(rows);
  });

  it('is removed by its uploader or by someone who may assign the order, not by another agent; the file goes too', async () => {
    const tk = await newOrder();
    const first = (await upload(agentA, tk.id, samples.jpeg, '漏水.jpg')).json() as Attachment;
    const second = (await upload(agentA, tk.id, samples.m4a, '来电录音.m4a')).json() as Attachment;
    const filesBefore = storedFiles().length;
    expect((await agentA2.delete(`/api/attachments/${first.id}`)).statusCode).toBe(403);
    expect((await agentA.delete(`/api/attachments/${first.id}`)).statusCode).toBe(204);
    expect((await leadA.delete(`/api/attachments/${second.id}`)).statusCode).toBe(204);
    expect((await agentA.get(`/api/attachments/${first.id}/content`)).statusCode).toBe(404);
    expect((await agentA.delete(`/api/attachments/${first.id}`)).statusCode).toBe(404);
    expect((await agentA.get(`/api/tickets/${tk.id}/attachments`)).json()).toEqual([]);
    expect(storedFiles()).toHaveLength(filesBefore - 2);
    expect((await timelineKinds(agentA, tk.id)).filter((k) => k.startsWith('attachment.'))).toEqual(['attachment.added', 'attachment.added', 'attachment.removed', 'attachment.removed']);
  });

  it('takes at most 50 attachments per work order', async () => {
    const tk = await newOrder();
    for (let i = 0; i < 50; i++) expect((await upload(agentA, tk.id, samples.gif, `${i}.gif`)).statusCode).toBe(201);
    const files = storedFiles().length;
    const res = await upload(agentA, tk.id, samples.gif, '51.gif');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ATTACHMENT_LIMIT');
    expect(storedFiles()).toHaveLength(files);
  });
});
