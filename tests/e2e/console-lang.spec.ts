// The console's language before and at login, in Debian's Chromium against the built headless server:
// the names README gives as the browser tests' contract stay English in 中文 (the Password field and the
// Log in button); a dialog open when the language changes speaks the new one whole; a first visit speaks
// the browser's language.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  mmlOverHttp,
  logIn,
  PASSWORD,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
} from './lab-console';

let server: LabServer | undefined;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-lang-'));
  server = await startLabServer(dataDir);
});

test.afterAll(async () => {
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

test('login in 中文: the Password field and the Log in button keep their English names', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server!.baseUrl);
  await page.getByLabel('Language').selectOption('zh');
  await expect(page.getByRole('heading', { level: 2 })).toContainText('登录');
  const button = page.getByRole('button', { name: 'Log in', exact: true });
  await expect(button).toHaveText('登录');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await button.click();
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  await context.close();
});

const HAN = /\p{Script=Han}/u;
const setLang = (page: Page, lang: 'en' | 'zh') => page.getByLabel('Language').selectOption(lang);
const open = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();

test('a confirmation open when the language changes is asked again in the new language, title and question', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, server!.baseUrl);
  await open(page, 'Overview');
  await page.getByRole('button', { name: 'Clear all registrations' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toHaveAccessibleName('Clear all registrations');
  await setLang(page, 'zh');
  await expect(dialog).toHaveAccessibleName(HAN);
  await expect(dialog).toHaveAccessibleDescription(HAN);
  await expect(dialog).not.toContainText('registrations?');
  await setLang(page, 'en');
  await expect(dialog).toHaveAccessibleName('Clear all registrations');
  await expect(dialog).toHaveAccessibleDescription(/^Remove all \d+ registrations\?/);
  await page.keyboard.press('Escape');
  await context.close();
});

test('a refusal under the user form goes when the language changes, as an outcome line does', async ({
  browser,
}) => {
  await mmlOverHttp(server!.baseUrl, 'ADD USER: USERNAME="lang-dup", PASSWORD="lang-dup-secret"');
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, server!.baseUrl);
  await open(page, 'Users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Username').fill('lang-dup');
  await dialog.getByLabel('Password').fill('lang-dup-secret');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('User lang-dup already exists');
  await setLang(page, 'zh');
  await expect(dialog).toHaveAccessibleName(HAN);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(dialog).not.toContainText('already exists');
  await context.close();
});

test('a first visit from a Chinese browser opens in 中文; a language chosen since is remembered and wins', async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(server!.baseUrl);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('button', { name: 'Log in', exact: true })).toHaveText('登录');
  await page.getByLabel('Language').selectOption('en');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Log in', exact: true })).toHaveText('Log in');
  await context.close();
  // An English browser: English, as before.
  const english = await browser.newContext({ locale: 'en-US' });
  const other = await english.newPage();
  await other.goto(server!.baseUrl);
  await expect(other.locator('html')).toHaveAttribute('lang', 'en');
  await english.close();
});

test('in 中文 an empty CDR says so once, and a search of the registrations counts in one phrase', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, server!.baseUrl);
  await setLang(page, 'zh');
  await open(page, '话单');
  const table = page.getByRole('table', { name: '话单' });
  // A fresh day with no filter: nothing was recorded (not "no record matches these filters").
  await expect(table).toContainText(/\d{4}-\d{2}-\d{2} 没有记录：没有呼叫、注册或消息。/);
  await expect(page.getByText('没有记录：没有呼叫、注册或消息。')).toHaveCount(1);
  await expect(page.getByText('没有符合这些条件的记录。')).toHaveCount(0);
  await expect(page.getByText('没有数据。')).toHaveCount(0);
  await open(page, '注册');
  await page.getByLabel('搜索注册').fill('nobody-here');
  await expect(page.getByRole('main').getByRole('status').filter({ hasText: '找到' })).toHaveText(
    '找到 0 条注册',
  );
  await context.close();
});
