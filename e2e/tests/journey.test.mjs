// Issue 14: one dossier from the citizen's phone to the returned result, each person on their
// own page, as a newcomer would go with no help but the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, newPage, shot, login, act, apologiseAfterASaturdayRefusal, PHONE, pdf } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });


async function fitsTheScreen(page, what) {
  const [scroll, width, wide] = await page.evaluate(() => {
    const w = window.innerWidth;
    const over = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > w + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px)`);
    return [document.documentElement.scrollWidth, w, over];
  });
  if (scroll > width) await shot(page, `wide-${what.replaceAll(' ', '-')}`);
  assert.ok(scroll <= width, `${what}: ${scroll}px wide on a ${width}px screen: ${wide.join(', ')}`);
}

test('a citizen files from the procedure page and follows the dossier to its result', async () => {
  const citizen = await newPage(browser, PHONE);
  const desk = await newPage(browser);
  const officer = await newPage(browser);
  const leader = await newPage(browser);
  await login(citizen, 'congdan');
  await login(desk, 'motcua');
  await login(officer, 'chuyenvien');
  await login(leader, 'lanhdao');

  // The procedure page leads to the form of that procedure; two files go with the filing.
  await citizen.goto(`${BASE}/thu-tuc/2.000908`);
  await fitsTheScreen(citizen, 'the procedure page');
  await citizen.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  await citizen.getByLabel('Nộp tại bộ phận một cửa').selectOption('H24.02');
  await citizen.getByLabel('Số định danh / mã số thuế').fill('031095001234');
  await citizen.getByLabel('Họ tên / tên tổ chức').fill('Vũ Minh Anh');
  await citizen.getByLabel('Điện thoại').fill('0912 345 678');
  const files = citizen.locator('input[type="file"]');
  assert.equal(await files.count(), 2);
  await files.nth(0).setInputFiles(pdf('can-cuoc.pdf'));
  await files.nth(1).setInputFiles(pdf('to-khai.pdf'));
  await fitsTheScreen(citizen, 'the filing form');
  await shot(citizen, '20-phone-filing-form');
  await citizen.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await citizen.waitForURL(/\/ho-so\/H24\.02-\d{6}-\d{4}\?da_nop=1$/);
  const code = new URL(citizen.url()).pathname.split('/').pop();
  assert.ok(await citizen.getByText(`Đã nộp hồ sơ. Mã hồ sơ: ${code}`).isVisible());
  await fitsTheScreen(citizen, 'the confirmation');
  await shot(citizen, '21-phone-filed');

  // The desk asks for one more paper; the citizen is told and uploads it next to the request.
  await act(desk, code, 'Yêu cầu hoàn thiện (Mẫu 02)', (f) => f.getByLabel(/Giấy tờ cần bổ sung/).fill('Bản sao giấy khai sinh'));
  await citizen.goto(`${BASE}/ho-so/${code}`);
  assert.ok(await citizen.getByRole('heading', { name: 'Cần bổ sung, hoàn thiện' }).isVisible());
  assert.ok(await citizen.getByText('Can bo sung: Ban sao giay khai sinh').first().isVisible(), 'the SMS says what to bring');
  await citizen.getByLabel('Tệp cho «Bản sao giấy khai sinh»').setInputFiles(pdf('khai-sinh.pdf'));
  await citizen.getByRole('button', { name: 'Tải lên' }).click();
  await citizen.waitForURL(`${BASE}/ho-so/${code}`);
  assert.ok(await citizen.getByRole('link', { name: 'khai-sinh.pdf' }).isVisible());
  await fitsTheScreen(citizen, 'the dossier page');
  await shot(citizen, '22-phone-completion-uploaded');

  // Accepted, transferred, assigned; each step by its owner.
  await act(desk, code, 'Tiếp nhận, hẹn trả kết quả');
  await act(desk, code, 'Chuyển cơ quan giải quyết');
  await act(officer, code, 'Phân công xử lý', (f) => f.getByLabel('Người xử lý').selectOption('chuyenvien'));
  await leader.goto(`${BASE}/ho-so/${code}`);
  assert.ok(await leader.getByText('Đang chờ: Chuyên viên chuyenvien').isVisible());
  await act(officer, code, 'Hoàn thành bước', (f) => f.getByLabel('Ghi chú').fill('Thẩm định xong, đủ điều kiện'));
  await act(leader, code, 'Hoàn thành bước', (f) => f.getByLabel('Ghi chú').fill('Đã ký duyệt'));

  // A new appointment on a Saturday is refused with the next working time; that one is taken.
  await apologiseAfterASaturdayRefusal(officer, code, 'Chờ xác minh với cơ quan hộ tịch');
  await act(officer, code, 'Hoàn thành bước', (f) => f.getByLabel('Ghi chú').fill('Vào số, phát hành'));

  // The result attached, resolved, returned.
  await act(officer, code, 'Đính kèm', async (f) => {
    await f.getByLabel('tên giấy tờ').fill('Bản sao trích lục');
    await f.getByLabel('Tệp (PDF, PNG, JPEG)').setInputFiles(pdf('ket-qua.pdf'));
  });
  await act(officer, code, 'Đã xử lý xong');
  await act(desk, code, 'Trả kết quả', (f) => f.getByLabel('Người nhận kết quả').fill('Vũ Minh Anh'));

  // The timeline says, in Vietnamese, what each person did and typed.
  await desk.goto(`${BASE}/ho-so/${code}`);
  for (const text of [
    'Nộp hồ sơ trực tuyến', 'Giấy tờ cần hoàn thiện: Bản sao giấy khai sinh', 'Tiếp nhận hồ sơ',
    'Người xử lý: chuyenvien', 'Ghi chú: Thẩm định xong, đủ điều kiện', 'Ghi chú: Đã ký duyệt',
    'Lý do chậm: Chờ xác minh với cơ quan hộ tịch', 'Ghi chú: Vào số, phát hành', 'Kết quả: giải quyết',
    'Người nhận: Vũ Minh Anh, tại bộ phận một cửa',
  ]) {
    assert.ok(await desk.locator('ol.timeline').getByText(text).first().isVisible(), `timeline: ${text}`);
  }
  assert.equal(desk.confirmations.length, 3, 'accepting, transferring and returning asked first');
  assert.ok(officer.confirmations.some((q) => q.includes('xử lý xong')), 'resolving asked first');
  await shot(desk, '23-timeline');
  await citizen.goto(`${BASE}/ho-so`);
  assert.ok(await citizen.getByRole('heading', { name: 'Đã kết thúc, đã rút' }).isVisible());
  assert.ok(await citizen.getByText('Đã trả kết quả').first().isVisible());
  await fitsTheScreen(citizen, 'Hồ sơ của tôi');
  await shot(citizen, '24-phone-my-dossiers');
});

test('the menu of every role fits one row at 1280 px', async () => {
  for (const user of ['admin', 'motcua', 'chuyenvien', 'congdan']) {
    const page = await newPage(browser, { width: 1280, height: 800 });
    await login(page, user);
    const rows = await page.evaluate(() => {
      const tops = [...document.querySelectorAll('header.top nav > *')].map((e) => Math.round(e.getBoundingClientRect().top));
      return new Set(tops).size;
    });
    await shot(page, `25-menu-${user}`);
    assert.equal(rows, 1, `${user}: the menu takes ${rows} rows`);
    await page.context().close();
  }
});
