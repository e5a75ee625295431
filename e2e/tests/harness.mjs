// Shared harness: launch Debian Chromium through playwright-core against the server started by
// e2e/run.sh (MOTCUA_E2E_URL), and save a screenshot of each step in e2e/screenshots/.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE = process.env.MOTCUA_E2E_URL ?? (() => { throw new Error('MOTCUA_E2E_URL is not set: run e2e/run.sh'); })();
export const DEMO_PASSWORD = 'motcua-demo-2026';
/// A phone's viewport, for the citizens' pages.
export const PHONE = { width: 390, height: 844 };
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

/// Send a command from the dossier page: the form with the button `button`, filled by `fill`.
export async function act(page, code, button, fill = async () => {}) {
  await page.goto(`${BASE}/ho-so/${code}`);
  const form = page.locator('form.action', { has: page.getByRole('button', { name: button }) });
  await fill(form);
  await form.getByRole('button', { name: button }).click();
  await page.waitForURL(`${BASE}/ho-so/${code}`);
}

/// Apologise with a new appointment on a Saturday (refused), then with the working time the
/// refusal suggests (accepted); the refusal's text.
export async function apologiseAfterASaturdayRefusal(officer, code, reason) {
  const saturday = new Date(Date.now() + 10 * 24 * 3600 * 1000);
  saturday.setUTCDate(saturday.getUTCDate() + ((6 - saturday.getUTCDay() + 7) % 7));
  await officer.goto(`${BASE}/ho-so/${code}`);
  const apology = officer.locator('form.action', { has: officer.getByRole('button', { name: 'Xin lỗi, hẹn lại' }) });
  await apology.getByLabel('Ngày giờ hẹn mới').fill(`${saturday.toISOString().slice(0, 10)}T10:00`);
  await apology.getByLabel('Lý do chậm').fill(reason);
  await apology.getByRole('button', { name: 'Xin lỗi, hẹn lại' }).click();
  const refusal = await officer.getByRole('alert').first().textContent();
  const [, hh, mm, dd, mo, yyyy] = refusal.match(/sớm nhất là (\d\d):(\d\d) ngày (\d\d)\/(\d\d)\/(\d{4})/);
  await act(officer, code, 'Xin lỗi, hẹn lại', async (f) => {
    await f.getByLabel('Ngày giờ hẹn mới').fill(`${yyyy}-${mo}-${dd}T${hh}:${mm}`);
    await f.getByLabel('Lý do chậm').fill(reason);
  });
  return refusal;
}

/// Call the API (JSON in and out), asserting success.
export async function api(method, path, token, body) {
  const r = await fetch(`${BASE}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

const tokens = new Map();
/// A demo account's API token, one per account and test file (logins are throttled per address).
export async function token(username) {
  if (!tokens.has(username)) {
    tokens.set(username, (await api('POST', '/api/v1/auth/token', null, { username, password: DEMO_PASSWORD })).token);
  }
  return tokens.get(username);
}

/// Wait until `check` answers something truthy (the background worker polls every 2 s).
export async function eventually(what, check, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await check();
    if (v) return v;
    assert.ok(Date.now() < end, `${what}: not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/// A small PDF to upload, named `name`.
export const pdf = (name) => ({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${name}\n%%EOF\n`) });

/// A declaration field by its label (a required one ends with a marked «*»).
export const field = (page, label) => page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}( \\*)?$`));

/// Open the filing form of 3.000333 (Phiếu lý lịch tư pháp) and fill its declaration for the
/// demo citizen, asking for `kind` (số 1 / số 2) for `purpose`.
export async function fillLltpDeclaration(citizen, kind, purpose) {
  await citizen.goto(`${BASE}/mot-cua/tiep-nhan?procedure=3.000333`);
  await citizen.getByLabel('Nộp tại bộ phận một cửa').selectOption('H24.02');
  for (const [label, value] of [['Họ và tên', 'VŨ MINH ANH'], ['Ngày, tháng, năm sinh', '1995-03-14'], ['Nơi sinh', 'Hải Dương'],
    ['Quốc tịch', 'Việt Nam'], ['Số định danh cá nhân', '031195001234'], ['Nơi thường trú', 'Xã Kẻ Sặt, thành phố Hải Phòng'],
    ['Quá trình cư trú (từ đủ 14 tuổi)', '2013–nay: Hải Phòng'], ['Số lượng Phiếu yêu cầu cấp', '1'], ['Mục đích sử dụng Phiếu', purpose]]) {
    await field(citizen, label).fill(value);
  }
  await field(citizen, 'Giới tính').selectOption('Nữ');
  await field(citizen, 'Loại Phiếu yêu cầu cấp').selectOption(`Phiếu lý lịch tư pháp ${kind}`);
}

/// On the verification page: check a copy of the result (`bytes`); whether the page then shows
/// `verdict`.
export async function checkCopy(page, bytes, verdict) {
  await page.getByLabel('Tệp kết quả (PDF)').setInputFiles({ name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer: bytes });
  await page.getByRole('button', { name: 'Kiểm tra bản sao' }).click();
  return page.getByText(verdict).isVisible();
}

/// A copy of `bytes` with one byte changed near its end.
export function tampered(bytes) {
  const changed = Buffer.from(bytes);
  changed[changed.length - 30] ^= 0x20;
  return changed;
}
