import { beforeEach, expect, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Small steps the console stories share (antd widgets are driven the way a person would). */

/** expect.poll with room for a locator call that itself waits. */
export const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000, interval: 100 });

/** Waits until the element shows this text (somewhere inside it). */
export async function shows(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}

/**
 * Opens an antd Select or TreeSelect (by its data-testid) and clicks the option with this label.
 * On a loaded machine a click can land while the list is still opening or closing (an overlay
 * animating in, the list re-rendering): when the choice does not show, the person tries again.
 */
export async function pick(page: Page, testId: string, label: string): Promise<void> {
  const select = page.getByTestId(testId);
  const popup = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
  const searchable = await select.evaluate((el) => el.classList.contains('ant-select-show-search'));
  for (let attempt = 1; ; attempt++) {
    // Opened (again only when it closed: Escape would close a surrounding dialog too).
    if (attempt === 1 || !(await popup.isVisible())) {
      await select.click();
      // A searchable list is typed into, as a person would (long lists are virtual: far options are not rendered).
      if (searchable) await page.keyboard.type(label);
    }
    await popup.getByTitle(label, { exact: true }).first().click();
    try {
      await select.filter({ hasText: label }).first().waitFor({ timeout: attempt < 3 ? 5_000 : undefined });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs in through the console with the settled password and waits for the home page. */
export async function enter(page: Page, p: { username: string; password: string }): Promise<void> {
  await page.goto('/');
  await signIn(page, p.username, p.password);
  await page.getByTestId('home-page').waitFor();
}

/** Signs in with the one-time password, replaces it when the console asks, and waits for the home page. */
export async function enterFirstTime(page: Page, p: { username: string; initial: string; password: string }): Promise<void> {
  await page.goto('/');
  await signIn(page, p.username, p.initial);
  await page.waitForURL(/\/(change-password)?$/);
  if (page.url().endsWith('/change-password')) await changePassword(page, p.initial, p.password);
  await page.getByTestId('home-page').waitFor();
}

/** Registers (call inside a describe) a per-test hook that screenshots each page, by file path, when the test fails. */
export function screenshotOnFailure(shots: Record<string, () => Page | undefined>): void {
  beforeEach(() =>
    onTestFailed(async () => {
      for (const [path, page] of Object.entries(shots)) await page()?.screenshot({ path, fullPage: true }).catch(() => {});
    }),
  );
}

export async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByTestId('password-current').fill(current);
  await page.getByTestId('password-new').fill(next);
  await page.getByTestId('password-confirm').fill(next);
  await page.getByTestId('password-submit').click();
}

/** The text of every match, once at least one is visible. */
export async function texts(locator: Locator): Promise<string[]> {
  await locator.first().waitFor();
  return locator.allInnerTexts();
}

/** Waits for a toast with this text. */
export async function toast(page: Page, text: string): Promise<void> {
  await page.locator('.ant-message').getByText(text).first().waitFor();
}

/** Confirms the open Popconfirm or confirm dialog. */
export async function confirm(page: Page): Promise<void> {
  await page.getByTestId('confirm-ok').last().click();
}

/** The keyboard, counting what a person would press: every key (`control`: the non-character ones) and every character typed. */
export class CountingKeyboard {
  presses = 0;
  control = 0;
  constructor(private readonly page: Page) {}
  async press(key: string, times = 1) {
    for (let i = 0; i < times; i++) await this.page.keyboard.press(key);
    this.presses += times;
    this.control += times;
  }
  async type(text: string) {
    await this.page.keyboard.type(text);
    this.presses += [...text].length;
  }
}
