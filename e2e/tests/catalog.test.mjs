import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, newPage, shot, login } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

test('search the catalog without diacritics and open a procedure', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/thu-tuc`);
  await page.getByLabel('Tên hoặc mã thủ tục').fill('dang ky khai sinh');
  await page.getByRole('button', { name: 'Tìm kiếm' }).click();
  await page.waitForURL(/q=dang/);
  const first = page.locator('ol.results li a.title').first();
  assert.equal(await first.textContent(), 'Thủ tục đăng ký khai sinh');
  await shot(page, '01-search');
  await first.click();
  await page.waitForURL(`${BASE}/thu-tuc/1.001193`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Thủ tục đăng ký khai sinh');
  assert.ok(await page.getByRole('heading', { name: 'Thành phần hồ sơ' }).isVisible());
  await shot(page, '02-procedure');
});

test('the catalog reads on a phone', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await page.goto(`${BASE}/thu-tuc?q=chung+thuc`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
  await shot(page, '03-phone');
});

test('an admin publishes a new version and the public page shows it', async () => {
  const page = await newPage(browser);
  await login(page, 'admin');
  await page.goto(`${BASE}/quan-tri/thu-tuc/2.000908`);
  const name = page.getByLabel('Tên thủ tục');
  const newName = `${await name.inputValue()} (sửa đổi năm 2026)`;
  await name.fill(newName);
  await page.getByRole('button', { name: /Lưu thành phiên bản mới/ }).click();
  await page.waitForURL(`${BASE}/quan-tri/thu-tuc/2.000908`);
  assert.ok(await page.getByText('Dự thảo').first().isVisible());
  await shot(page, '04-draft');
  await page.getByLabel('Số quyết định công bố').fill('25/QĐ-UBND');
  await page.getByRole('button', { name: 'Công bố' }).click();
  await page.waitForURL(/\/thu-tuc\/2\.000908\?at=/);
  await page.goto(`${BASE}/thu-tuc/2.000908`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), newName);
  assert.ok(await page.getByText('Phiên bản 2 · Đang áp dụng').isVisible());
  await shot(page, '05-published');
  // The old version stays readable in the history.
  assert.ok(await page.getByRole('cell', { name: 'Đã được sửa đổi' }).isVisible());
});
