import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { samples } from '../utils/attachment-samples.ts';
import { apiSession, startHarness, type Harness } from './harness.ts';
import { poll, signIn, toast } from './ui.ts';

/**
 * Attachments (附件) in the console: an agent attaches a photo of the broken shower to a work order and
 * sees it listed with its thumbnail; an SVG is refused with the server's message and nothing is listed.
 */
const ADMIN_PASSWORD = 'Mudan-root-secret-2026';
const AGENT = { username: 'li.na', name: '李娜', initial: 'Li-na-first-2026', password: 'Li-na-secret-2026' };

describe('attachments in the console', () => {
  let h: Harness;
  let agent: { context: BrowserContext; page: Page };
  let ticketId = '';

  beforeAll(async () => {
    h = await startHarness();
    const admin = await apiSession(h.baseUrl, 'admin', h.adminPassword, ADMIN_PASSWORD);
    const root = (await admin<{ id: string; kind: string }[]>('GET', '/api/org-units')).find((u) => u.kind === 'group')!;
    const branch = await admin<{ id: string }>('POST', '/api/org-units', { parentId: root.id, kind: 'company', name: '洛阳分店', code: 'LY' });
    const service = await admin<{ id: string }>('POST', '/api/org-units', { parentId: branch.id, kind: 'department', name: '客服部', code: 'LY-KF' });
    const roles = await admin<{ id: string; key: string }[]>('GET', '/api/roles');
    await admin('POST', '/api/users', {
      username: AGENT.username,
      displayName: AGENT.name,
      orgUnitId: service.id,
      password: AGENT.initial,
      grants: [{ roleId: roles.find((r) => r.key === 'agent')!.id, orgUnitId: service.id }],
    });
    const asAgent = await apiSession(h.baseUrl, AGENT.username, AGENT.initial, AGENT.password);
    ticketId = (await asAgent<{ id: string }>('POST', '/api/tickets', { type: 'repair', channel: 'phone', subject: '1208房间淋浴水小且发黄', description: '客人来电，已拍照留证。' })).id;
    agent = await h.newPage();
  }, 90_000);
  afterAll(async () => {
    await agent?.context.close();
    await h?.stop();
  });

  it('uploads a PNG and lists it; refuses an SVG with the server’s message', async () => {
    onTestFailed(() => console.log(h.output()));
    const { page } = agent;
    await page.goto('/');
    await signIn(page, AGENT.username, AGENT.password);
    await page.getByTestId('home-page').waitFor();
    await page.goto(`/tickets/${ticketId}`);
    const panel = page.getByTestId('attachments-panel');
    await panel.waitFor();
    const input = panel.locator('input[type=file]');

    await input.setInputFiles({ name: '淋浴发黄照片.png', mimeType: 'image/png', buffer: samples.png });
    await toast(page, '已上传“淋浴发黄照片.png”');
    await poll(() => panel.getByTestId('attachment-name').allInnerTexts()).toEqual(['淋浴发黄照片.png']);
    // The thumbnail is the image itself, served inline.
    const thumb = panel.getByTestId('attachment-item').locator('img');
    await poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);

    await input.setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: samples.svg });
    const refused = panel.getByTestId('attachment-refused');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('“logo.svg”未上传：不允许上传此类文件');
    expect(await panel.getByTestId('attachment-name').allInnerTexts()).toEqual(['淋浴发黄照片.png']);
  });
});
