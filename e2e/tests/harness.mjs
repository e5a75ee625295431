// Shared harness: launch Debian Chromium through playwright-core against the server started by
// e2e/run.sh (MOTCUA_E2E_URL), and save a screenshot of each step in e2e/screenshots/.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE = process.env.MOTCUA_E2E_URL ?? (() => { throw new Error('MOTCUA_E2E_URL is not set: run e2e/run.sh'); })();
export const DEMO_PASSWORD = 'motcua-demo-2026';
const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

export async function openBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser, viewport = { width: 1100, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  const page = await context.newPage();
  // Irreversible actions ask for confirmation: the tests agree, and keep what was asked.
  page.confirmations = [];
  page.on('dialog', async (d) => { page.confirmations.push(d.message()); await d.accept(); });
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export async function login(page, username) {
  await page.goto(`${BASE}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${BASE}/`);
}
