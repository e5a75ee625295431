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
  const report = agency.locator('section#nv-II\\.2\\.1 form[action$="/bao-cao"]');
  await report.getByLabel('Tháng').fill('2024-12');
  await report.getByLabel('Tình trạng').selectOption('in_progress');
  await report.getByLabel('Tỷ lệ (%)').fill('70');
  await report.getByLabel('Nội dung').fill('Đã đánh giá tác động 7/10 dự thảo');
  await report.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await agency.waitForURL(/\/ke-hoach\/nhiem-vu\?da_luu=1$/);
  assert.match(await agency.locator('section#nv-II\\.2\\.1').innerText(), /Đang thực hiện, 70%/);
  // The report's document.
  const attach = agency.locator('section#nv-II\\.2\\.1 form[enctype="multipart/form-data"]');
  await attach.getByLabel('Tháng').fill('2024-12');
  await attach.getByLabel('Tên tài liệu').fill('Báo cáo đánh giá tác động');
  await attach.getByLabel('Tệp (PDF, PNG, JPEG)').setInputFiles({ name: 'danh-gia-tac-dong.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% DGTD\n%%EOF\n') });
  await attach.getByRole('button', { name: 'Đính kèm' }).click();
  await agency.waitForURL(/\/ke-hoach\/nhiem-vu\?da_luu=1$/);
  assert.ok(await agency.locator('section#nv-II\\.2\\.1').getByRole('link', { name: 'danh-gia-tac-dong.pdf' }).isVisible());
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

test('the office enters a costing sheet and sees the reduction against the 20% target', async () => {
  const office = await newPage(browser);
  await login(office, 'admin');
  await office.goto(`${BASE}/ke-hoach/chi-phi`);
  await office.getByLabel('Mã thủ tục').fill('1.001193');
  await office.getByLabel('Tên thủ tục').fill('Đăng ký khai sinh');
  await office.getByLabel('Thu nhập bình quân một giờ (đồng)').fill('40.000');
  await office.getByLabel('Năm của số liệu thu nhập').fill('2024');
  await office.getByLabel('Số đối tượng tuân thủ mỗi năm').fill('3228');
  await office.getByLabel('Hoạt động và số giờ (mỗi dòng «tên; số giờ»)').fill('Tìm hiểu thủ tục; 2\nChuẩn bị tờ khai, giấy tờ; 8\nĐi lại, chờ nộp hồ sơ; 6\nNhận kết quả; 4');
  await office.getByLabel('Phí, lệ phí (đồng)', { exact: true }).fill('8.000');
  await office.getByLabel('Hoạt động và số giờ sau đơn giản hóa').fill('Tìm hiểu thủ tục; 1\nKhai trực tuyến; 2\nNhận kết quả điện tử; 0,5');
  await office.getByLabel('Phí, lệ phí sau (đồng)').fill('8.000');
  await office.getByLabel('Phương án đơn giản hóa').fill('Nộp và nhận kết quả trực tuyến; dùng dữ liệu dân cư');
  await office.getByLabel('Tình trạng').selectOption('approved');
  await office.getByLabel('Số quyết định phê duyệt phương án').fill('2345/QĐ-UBND');
  await office.getByLabel('Ngày quyết định').fill('2024-09-10');
  await office.getByRole('button', { name: 'Lưu bảng tính' }).click();
  await office.waitForURL(`${BASE}/ke-hoach/chi-phi`);
  assert.match(await office.locator('#bang-chi-phi').innerText(), /Phương án đã được phê duyệt\s+QĐ 2345\/QĐ-UBND ngày 10\/09\/2024/);
  // 20 h → 3.5 h at 40,000 VND plus 8,000 VND of fees: 808,000 → 148,000 VND a dossier, 81.68 %.
  assert.match(await office.locator('#bang-chi-phi').innerText(), /808\.000[\s\S]*148\.000[\s\S]*81,68\s%/);
  assert.match(await office.locator('#tong-hop-chi-phi').innerText(), /cắt giảm 81,68\s%[\s\S]*chỉ tiêu ít nhất 20%: đạt/);
  assert.ok(await office.locator('svg.cost-chart').isVisible());
  await shot(office, '33-plan-costs');
  // The plan's overview shows the target with today's value.
  await office.goto(`${BASE}/ke-hoach/tong-hop`);
  assert.match(await office.locator('#chi-tieu').innerText(), /ít nhất 20% — [^\n]*chi phí tuân thủ[^\n]*\s+81,68\s% đạt/i);
});
