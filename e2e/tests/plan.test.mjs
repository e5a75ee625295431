import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { BASE, openBrowser, newPage, shot, login } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

const SEED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo', 'plan-2024.txt');

test('the office imports the plan, an agency reports, the office sees overdue tasks and missing reports', async () => {
  const office = await newPage(browser);
  await login(office, 'admin');
  await office.goto(`${BASE}/ke-hoach`);
  await office.getByLabel('Tệp kế hoạch (văn bản như bản công bố)').setInputFiles(SEED);
  await office.getByRole('button', { name: 'Nhập' }).click();
  const result = office.locator('#ket-qua-nhap');
  assert.match(await result.innerText(), /4 mục, 32 nhiệm vụ, 8 nội dung con/);
  assert.match(await result.innerText(), /Công an tỉnh/, 'names not on the map are reported');
  assert.ok(await office.getByText('Chậm nhất ngày 15/9/2024').first().isVisible());
  await shot(office, '30-plan-imported');

  // Sở Tư pháp of today acts for the 2024 plan's Sở Tư pháp.
  const agency = await newPage(browser);
  await login(agency, 'chuyenvien');
  await agency.goto(`${BASE}/ke-hoach/nhiem-vu`);
  assert.ok(await agency.getByRole('heading', { name: 'Nhiệm vụ của Sở Tư pháp tỉnh Hải Dương' }).isVisible());
  const task = agency.locator('section#nv-II\\.2\\.1');
  await task.getByLabel('Tháng').fill('2024-12');
  await task.getByLabel('Tình trạng').selectOption('in_progress');
  await task.getByLabel('Tỷ lệ (%)').fill('70');
  await task.getByLabel('Nội dung').fill('Đã đánh giá tác động 7/10 dự thảo');
  await task.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await agency.waitForURL(/\/ke-hoach\/nhiem-vu\?da_luu=1$/);
  assert.match(await agency.locator('section#nv-II\\.2\\.1').innerText(), /Đang thực hiện, 70%/);
  await shot(agency, '31-plan-report');

  await office.goto(`${BASE}/ke-hoach/tong-hop?month=2024-12`);
  assert.match(await office.locator('#qua-han').innerText(), /II\.2\.4/);
  const missing = await office.locator('#chua-bao-cao').innerText();
  assert.match(missing, /Sở Tư pháp tỉnh Hải Dương/);
  const row = office.locator('#chua-bao-cao tr', { hasText: 'Sở Tư pháp tỉnh Hải Dương' });
  assert.doesNotMatch(await row.innerText(), /II\.2\.1(,|$)/, 'the report filed is no longer missing');
  assert.ok(await office.getByText('Đang thực hiện: 1').isVisible());
  await shot(office, '32-plan-overview');
});
