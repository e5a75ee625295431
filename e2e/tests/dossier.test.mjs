import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, newPage, shot, login, act, apologiseAfterASaturdayRefusal } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

async function intake(page, name) {
  await page.goto(`${BASE}/mot-cua/tiep-nhan?procedure=2.000908`);
  await page.getByLabel('Số định danh / mã số thuế').fill('031095001234');
  await page.getByLabel('Họ tên / tên tổ chức').fill(name);
  await page.getByLabel('Điện thoại').fill('0912 345 678');
  for (const box of await page.locator('input[name="received"]').all()) await box.check();
  await page.getByRole('button', { name: 'Tiếp nhận và in giấy hẹn' }).click();
  await page.waitForURL(/\/ho-so\/H24\.02-\d{6}-\d{4}$/);
  return page.url().split('/').pop();
}

// The handling agency's steps, each by its owner: the specialist's appraisal, the leader's
// signature, the clerk's issue (done by a specialist).
async function completeSteps(officer, leader, code) {
  await act(officer, code, 'Hoàn thành bước', (f) => f.getByLabel('Ghi chú').fill('Thẩm định xong'));
  await act(leader, code, 'Hoàn thành bước', (f) => f.getByLabel('Ghi chú').fill('Đã ký duyệt'));
  await act(officer, code, 'Hoàn thành bước', (f) => f.getByLabel('Ghi chú').fill('Vào số, phát hành'));
}

test('a counter dossier from intake to return', async () => {
  const desk = await newPage(browser);
  const officer = await newPage(browser);
  const leader = await newPage(browser);
  await login(desk, 'motcua');
  await login(officer, 'chuyenvien');
  await login(leader, 'lanhdao');
  const code = await intake(desk, 'Vũ Minh Anh');
  await shot(desk, '10-intake');
  // The desk digitises the paper handed in; the officer attaches the electronic result.
  const pdf = (text) => ({ name: `${text}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`) });
  await act(desk, code, 'Đính kèm', async (f) => {
    await f.getByLabel('tên giấy tờ').fill('Tờ khai đăng ký khai sinh');
    await f.getByLabel('Tệp (PDF, PNG, JPEG)').setInputFiles(pdf('Tờ khai'));
  });
  assert.ok(await desk.getByRole('link', { name: 'Tờ khai.pdf' }).isVisible());
  await act(desk, code, 'Chuyển cơ quan giải quyết');
  await act(officer, code, 'Phân công xử lý', (f) => f.getByLabel('Người xử lý').selectOption('chuyenvien'));
  await act(officer, code, 'Đính kèm', async (f) => {
    await f.getByLabel('tên giấy tờ').fill('Trích lục khai sinh');
    await f.getByLabel('Tệp (PDF, PNG, JPEG)').setInputFiles(pdf('Trích lục'));
  });
  await completeSteps(officer, leader, code);
  await act(officer, code, 'Đã xử lý xong');
  await act(desk, code, 'Trả kết quả', (f) => f.getByLabel('Người nhận kết quả').fill('Vũ Minh Anh'));
  assert.ok(await desk.getByText('Đã trả kết quả').first().isVisible());
  assert.ok(await desk.getByText('Kết quả điện tử').first().isVisible());
  // The applicant's notices are on the page (e-mail none: no address given; SMS by phone).
  assert.ok(await desk.getByText('Tin nhắn SMS').first().isVisible());
  await shot(desk, '11-returned');
});

test('a dossier with a supplement and an apology', async () => {
  const desk = await newPage(browser);
  const officer = await newPage(browser);
  const leader = await newPage(browser);
  await login(desk, 'motcua');
  await login(officer, 'chuyenvien');
  await login(leader, 'lanhdao');
  const code = await intake(desk, 'Trần Thị Bình');
  await act(desk, code, 'Chuyển cơ quan giải quyết');
  await act(officer, code, 'Yêu cầu bổ sung', (f) => f.getByLabel('Giấy tờ cần bổ sung').fill('Bản sao giấy khai sinh'));
  assert.ok(await officer.getByText('Yêu cầu bổ sung giấy tờ').first().isVisible());
  await act(desk, code, 'Đã nhận hồ sơ bổ sung');
  // A new appointment on a Saturday is refused, with the next working time suggested; that one
  // is accepted.
  const refusal = await apologiseAfterASaturdayRefusal(officer, code, 'Chờ xác minh với cơ quan hộ tịch');
  assert.match(refusal, /rơi vào ngày nghỉ/);
  assert.ok(await officer.getByText('→ hẹn lại').isVisible(), 'the new appointment is shown beside the original');
  await completeSteps(officer, leader, code);
  await act(officer, code, 'Đã xử lý xong');
  await act(desk, code, 'Trả kết quả', (f) => f.getByLabel('Người nhận kết quả').fill('Trần Thị Bình'));
  assert.equal(await desk.locator('ol.timeline > li').count(), 10);
  assert.ok(await desk.getByText('Lý do chậm: Chờ xác minh với cơ quan hộ tịch').isVisible(), 'the timeline shows what was typed');
  await shot(desk, '12-supplement-apology');
});

test('a citizen files online, the desk checks it and prints the receipt as PDF', async () => {
  const citizen = await newPage(browser);
  const desk = await newPage(browser);
  await login(citizen, 'congdan');
  await login(desk, 'motcua');
  // From the procedure page: "Nộp hồ sơ trực tuyến" opens the form of that procedure.
  await citizen.goto(`${BASE}/thu-tuc/2.000908`);
  await citizen.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  assert.ok(await citizen.getByRole('heading', { name: 'Nộp hồ sơ trực tuyến' }).isVisible());
  await citizen.getByLabel('Nộp tại bộ phận một cửa').selectOption('H24.02');
  await citizen.getByLabel('Số định danh / mã số thuế').fill('031095001234');
  await citizen.getByLabel('Họ tên / tên tổ chức').fill('Vũ Minh Anh');
  await citizen.getByLabel('Điện thoại').fill('0912 345 678');
  const files = citizen.locator('input[type="file"]');
  for (let i = 0; i < await files.count(); i++) {
    await files.nth(i).setInputFiles({ name: `giay-to-${i + 1}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${i}\n%%EOF\n`) });
  }
  await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await citizen.waitForURL(/\/ho-so\/H24\.02-\d{6}-\d{4}\?da_nop=1$/);
  assert.ok(await citizen.getByText('Đã nộp hồ sơ. Mã hồ sơ').isVisible());
  const code = new URL(citizen.url()).pathname.split('/').pop();
  assert.ok(await citizen.getByText('Mới đăng ký').first().isVisible());
  await act(desk, code, 'Tiếp nhận, hẹn trả kết quả');
  await citizen.goto(`${BASE}/ho-so/${code}`);
  assert.ok(await citizen.getByText('Được tiếp nhận').first().isVisible());
  await shot(citizen, '13-online-accepted');
  const pdf = await desk.request.get(`${BASE}/ho-so/${code}/mau/01/pdf`);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.ok((await pdf.body()).subarray(0, 5).toString() === '%PDF-');
  // The QR code of the printed receipt leads to the public lookup.
  await citizen.goto(`${BASE}/tra-cuu?ma=${code}&so=5678`);
  assert.ok(await citizen.getByText('Được tiếp nhận').isVisible());
});
