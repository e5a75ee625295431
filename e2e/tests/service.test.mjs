// Issue 15: service quality as people meet it — the applicant rates a returned dossier from the
// link of the notice, disliking it opens a petition, the office answers and publishes it, anyone
// reads and rates the answer; the public index and the monthly report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, newPage, shot, login, api, token, PHONE } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

/// A dossier of 2.000908 taken through its steps and returned to its applicant (phone …5678).
async function returnedDossier() {
  const [desk, specialist, leader] = [await token('motcua'), await token('chuyenvien'), await token('lanhdao')];
  const { code } = await api('POST', '/api/v1/dossiers', desk, { procedure: '2.000908', channel: 'counter',
    applicant: { kind: 'citizen', id: '031095001234', name: 'Vũ Minh Anh', phone: '0912345678' } });
  const steps = [
    ['transfer', desk, { revision: 1, agency: 'H24.11' }],
    ['complete_step', specialist, { revision: 2, note: 'Xong' }],
    ['complete_step', leader, { revision: 3, note: 'Xong' }],
    ['complete_step', specialist, { revision: 4, note: 'Xong' }],
    ['resolve', specialist, { revision: 5, outcome: 'granted' }],
    ['return', desk, { revision: 6, collected_by: 'Vũ Minh Anh', method: 'counter' }],
  ];
  for (const [command, who, body] of steps) await api('POST', `/api/v1/dossiers/${code}/${command}`, who, body);
  return code;
}

test('the applicant rates a returned dossier, a dislike becomes a petition, its answer is published', async () => {
  const code = await returnedDossier();
  const citizen = await newPage(browser, PHONE);
  await citizen.goto(`${BASE}/danh-gia/${code}`);
  await citizen.getByLabel('4 số cuối điện thoại').fill('5678');
  await citizen.getByRole('button', { name: 'Tiếp tục' }).click();
  await citizen.getByLabel('Không hài lòng').check();
  for (let i = 1; i <= 9; i++) {
    await citizen.locator(`input[name="tc${i}"][value="1"]`).check();
  }
  await citizen.getByLabel('Không thích').check();
  await citizen.getByLabel(/Ý kiến khác/).fill('Phải đi lại nhiều lần');
  await shot(citizen, '30-phone-rating');
  await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
  assert.ok(await citizen.getByRole('heading', { name: 'Cảm ơn Ông/Bà đã đánh giá' }).isVisible());
  assert.ok(await citizen.getByText('9/18 điểm').isVisible());

  // The dislike offers a petition about the dossier.
  await citizen.getByRole('link', { name: 'Gửi phản ánh, kiến nghị' }).click();
  assert.equal(await citizen.getByLabel('Mã hồ sơ liên quan (nếu có)').inputValue(), code);
  await citizen.getByLabel('Họ và tên').fill('Vũ Minh Anh');
  await citizen.getByLabel('Tiêu đề').fill('Phải đi lại nhiều lần để bổ sung giấy tờ');
  await citizen.getByLabel('Nội dung').fill('Tôi phải đến bộ phận một cửa ba lần vì mỗi lần được yêu cầu một giấy tờ khác.');
  await citizen.getByRole('button', { name: 'Gửi' }).click();
  await citizen.waitForURL(/\/phan-anh\/[0-9a-f-]{36}\?moi=1$/);
  assert.ok(await citizen.getByText('Đã gửi phản ánh, kiến nghị').isVisible());
  assert.ok(await citizen.getByText(/Xử lý xong: trước/).isVisible(), 'the deadlines are shown');
  const petition = new URL(citizen.url()).pathname;
  await shot(citizen, '31-phone-petition-sent');

  // The office answers and publishes.
  const office = await newPage(browser);
  await login(office, 'admin');
  await office.goto(`${BASE}/phan-anh/xu-ly`);
  await office.getByRole('link', { name: 'Phải đi lại nhiều lần để bổ sung giấy tờ' }).first().click();
  await office.getByLabel('Việc cần làm').selectOption('tra-loi');
  await office.getByLabel(/Nội dung \(trả lời/).fill('Bộ phận một cửa đã được nhắc hướng dẫn đầy đủ một lần.');
  await office.getByRole('button', { name: 'Thực hiện' }).click();
  assert.ok(await office.getByText('Đã xử lý, chờ công khai').first().isVisible());
  await office.getByLabel('Việc cần làm').selectOption('cong-khai');
  await office.getByRole('button', { name: 'Thực hiện' }).click();
  assert.ok(await office.getByText('Đã công khai kết quả').first().isVisible());
  await shot(office, '32-petition-handled');

  // Anyone reads the answer and rates it.
  await citizen.goto(`${BASE}/phan-anh`);
  assert.ok(await citizen.getByText('Bộ phận một cửa đã được nhắc hướng dẫn đầy đủ một lần.').first().isVisible());
  await citizen.goto(`${BASE}${petition}`);
  await citizen.getByRole('button', { name: 'Thích', exact: true }).click();
  assert.ok(await citizen.getByText('Cảm ơn Ông/Bà đã cho ý kiến.').isVisible());
  await shot(citizen, '33-phone-answer-liked');
});

test('the index and the monthly report are public, with their downloads', async () => {
  const visitor = await newPage(browser);
  await visitor.goto(`${BASE}/chi-so-766`);
  assert.ok(await visitor.getByRole('heading', { name: /Tổng điểm/ }).isVisible());
  assert.ok(await visitor.getByRole('heading', { name: '2. Tiến độ giải quyết' }).first().isVisible());
  await shot(visitor, '34-index');
  const month = new Date().toISOString().slice(0, 7);
  await visitor.goto(`${BASE}/bao-cao/${month}`);
  assert.ok(await visitor.getByText(/Chưa công bố/).isVisible(), 'the current month is live');
  assert.equal(await visitor.locator('ul.bars meter').count(), 6, 'a bar for each group');
  for (const format of ['xlsx', 'csv', 'pdf']) {
    const r = await fetch(`${BASE}/bao-cao/${month}/${format}`);
    assert.equal(r.status, 200, format);
    assert.ok((r.headers.get('content-disposition') ?? '').includes(`bao-cao-chi-so-766-${month}.${format}`));
  }
  await shot(visitor, '35-monthly-report');
  // Staff follow a count to its dossiers.
  const desk = await newPage(browser);
  await login(desk, 'admin');
  await desk.goto(`${BASE}/chi-so-766?ky=${month}`);
  await desk.locator('a[href*="chi-so=DOSSIER_ON_TIME"][href*="phan=base"]').first().click();
  assert.ok(await desk.getByRole('heading', { name: /Hồ sơ thuộc chỉ tiêu 2/ }).isVisible());
});
