// Issue 17: the declaration form filled online and kept as a draft, the document vault offering
// a filed paper back, a signed electronic result verified on the page its QR code opens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, newPage, shot, login, api, token, PHONE, pdf, field, fillLltpDeclaration, checkCopy, tampered } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });


test('a citizen fills the declaration, keeps a draft, comes back and files it', async () => {
  const citizen = await newPage(browser, PHONE);
  await login(citizen, 'congdan');
  await citizen.goto(`${BASE}/thu-tuc/3.000333`);
  await citizen.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
  await citizen.getByLabel('Nộp tại bộ phận một cửa').selectOption('H24.02');
  await field(citizen, 'Họ và tên').fill('VŨ MINH ANH');
  await field(citizen, 'Nơi sinh').fill('Hải Dương');
  await citizen.getByRole('button', { name: 'Lưu nháp tờ khai' }).click();
  assert.ok(await citizen.getByText(/Đã lưu bản nháp tờ khai lúc/).isVisible());
  await shot(citizen, '40-phone-declaration-draft');

  // Later: the draft opens where it was left.
  await citizen.goto(`${BASE}/mot-cua/tiep-nhan?procedure=3.000333`);
  assert.ok(await citizen.getByText(/Đã mở bản nháp tờ khai/).isVisible());
  assert.equal(await field(citizen, 'Nơi sinh').inputValue(), 'Hải Dương');

  // A date in the future is refused under its field; the rest stays as typed.
  await field(citizen, 'Giới tính').selectOption('Nữ');
  await field(citizen, 'Ngày, tháng, năm sinh').fill('1995-03-14');
  await field(citizen, 'Quốc tịch').fill('Việt Nam');
  await field(citizen, 'Số định danh cá nhân').fill('031195001234');
  await field(citizen, 'Nơi thường trú').fill('Xã Kẻ Sặt, thành phố Hải Phòng');
  await field(citizen, 'Quá trình cư trú (từ đủ 14 tuổi)').fill('2013–nay: Hải Phòng, kế toán');
  await field(citizen, 'Loại Phiếu yêu cầu cấp').selectOption('Phiếu lý lịch tư pháp số 1');
  await field(citizen, 'Số lượng Phiếu yêu cầu cấp').fill('2');
  await field(citizen, 'Mục đích sử dụng Phiếu').fill('Bổ sung hồ sơ xin việc');
  const files = citizen.locator('input[type="file"]');
  assert.equal(await files.count(), 5, 'the paper declaration is not asked for: the e-form stands for it');
  // Only the identity card is needed; the other four are for some cases only («nếu có»).
  await citizen.locator('input[name="file_2"]').setInputFiles(pdf('can-cuoc.pdf'));
  await citizen.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await citizen.waitForURL(/\/ho-so\/H24\.02-\d{6}-\d{4}\?da_nop=1$/);
  const declaration = citizen.getByRole('region', { name: 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp' });
  assert.ok(await declaration.getByText('14/03/1995').isVisible());
  await shot(citizen, '41-phone-declaration-filed');
  await citizen.goto(`${BASE}/mot-cua/tiep-nhan?procedure=3.000333`);
  assert.equal(await citizen.getByText(/Đã mở bản nháp tờ khai/).count(), 0, 'the draft went with the filing');
});

test('filed again with the declaration, two uploads and the identity card from the vault', async () => {
  const citizen = await newPage(browser, PHONE);
  await login(citizen, 'congdan');
  await fillLltpDeclaration(citizen, 'số 2', 'Du học');
  const card = citizen.locator('select[name="vault_2"]');
  await card.selectOption({ index: 1 });
  await citizen.locator('input[name="file_4"]').setInputFiles(pdf('mien-phi.pdf'));
  await citizen.locator('input[name="file_5"]').setInputFiles(pdf('uy-quyen.pdf'));
  await citizen.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await citizen.waitForURL(/da_nop=1$/);
  assert.ok(await citizen.getByText('Lấy từ kho dữ liệu của người nộp').isVisible(), 'the card came from the vault');
  await shot(citizen, '46-phone-filed-with-vault');
});

test('the vault offers a paper filed before, and the next filing takes it', async () => {
  const citizen = await newPage(browser);
  await login(citizen, 'congdan');
  const fill = async () => {
    await citizen.goto(`${BASE}/mot-cua/tiep-nhan?procedure=2.000908`);
    await citizen.getByLabel('Nộp tại bộ phận một cửa').selectOption('H24.02');
    await citizen.getByLabel('Số định danh / mã số thuế').fill('031095001234');
    await citizen.getByLabel('Họ tên / tên tổ chức').fill('Vũ Minh Anh');
  };
  await fill();
  const files = citizen.locator('input[type="file"]');
  await files.nth(0).setInputFiles(pdf('can-cuoc.pdf'));
  await files.nth(1).setInputFiles(pdf('ban-sao.pdf'));
  await citizen.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await citizen.waitForURL(/da_nop=1$/);

  await fill();
  const offer = citizen.getByLabel(/Dùng giấy tờ trong kho cho/).first();
  await offer.selectOption({ index: 1 });
  await citizen.locator('input[type="file"]').nth(1).setInputFiles(pdf('ban-sao-2.pdf'));
  await citizen.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await citizen.waitForURL(/da_nop=1$/);
  const code = new URL(citizen.url()).pathname.split('/').pop();
  assert.ok(await citizen.getByText('Lấy từ kho dữ liệu của người nộp').isVisible());
  await citizen.getByRole('link', { name: 'Kho giấy tờ' }).click();
  const log = citizen.getByRole('region', { name: 'Nhật ký truy cập kho' });
  assert.ok(await log.getByText(code).isVisible(), 'the holder sees the reuse, with the dossier');
  await shot(citizen, '42-vault');
});

test('a leader signs the result; the verification page says valid, and invalid for a changed copy', async () => {
  const desk = await token('motcua');
  const { code } = await api('POST', '/api/v1/dossiers', desk, { procedure: '2.000908', channel: 'counter',
    applicant: { kind: 'citizen', id: '031095001234', name: 'Vũ Minh Anh', phone: '0912345678' } });
  await api('POST', `/api/v1/dossiers/${code}/transfer`, desk, { revision: 1, agency: 'H24.11' });
  const leader = await newPage(browser);
  await login(leader, 'lanhdao');
  await leader.goto(`${BASE}/ho-so/${code}`);
  await leader.getByRole('button', { name: 'Ký số và phát hành kết quả điện tử' }).click();
  await leader.waitForURL(`${BASE}/ho-so/${code}`);
  const signed = leader.getByRole('region', { name: 'Kết quả điện tử có chữ ký số' });
  const verify = await signed.getByRole('link', { name: 'Xác thực' }).getAttribute('href');
  const download = await signed.getByRole('link', { name: 'Tải kết quả (PDF)' }).getAttribute('href');
  const bytes = Buffer.from(await (await leader.request.get(`${BASE}${download}`)).body());
  assert.ok(bytes.subarray(0, 4).toString() === '%PDF');

  // Anyone holding the paper opens the page its QR code leads to.
  const visitor = await newPage(browser, PHONE);
  await visitor.goto(`${BASE}${verify}`);
  assert.ok(await visitor.getByText(/Hợp lệ: chữ ký số của cơ quan đúng/).isVisible());
  const [scroll, width] = await visitor.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the verification page is ${scroll}px wide on a ${width}px phone`);
  await shot(visitor, '43-phone-verified');
  assert.ok(await checkCopy(visitor, tampered(bytes), /Không hợp lệ: nội dung tệp đã bị thay đổi/));
  await shot(visitor, '44-phone-changed-copy');
  assert.ok(await checkCopy(visitor, bytes, /Hợp lệ: chữ ký số của cơ quan đúng/));

  // The citizen finds the signed result in their vault.
  const citizen = await newPage(browser);
  await login(citizen, 'congdan');
  await citizen.goto(`${BASE}/kho-giay-to`);
  assert.ok(await citizen.getByRole('cell', { name: 'Kết quả điện tử', exact: true }).first().isVisible());
});

test('a commune certifies an electronic copy of an original, into the holder\'s vault', async () => {
  const desk = await token('motcua.xa');
  const { code } = await api('POST', '/api/v1/dossiers', desk, { procedure: '2.000815', channel: 'counter',
    applicant: { kind: 'citizen', id: '031095001234', name: 'Vũ Minh Anh' } });
  await api('POST', `/api/v1/dossiers/${code}/transfer`, desk, { revision: 1, agency: 'H24.101' });
  const officer = await newPage(browser);
  await login(officer, 'tuphap.xa');
  await officer.goto(`${BASE}/ho-so/${code}`);
  const form = officer.locator('form.certify');
  await form.getByLabel('Tên giấy tờ, văn bản gốc').fill('Giấy khai sinh');
  await form.getByLabel('Số trang').fill('3');
  await form.getByLabel('Bản chụp từ bản chính (PDF, PNG, JPEG)').setInputFiles(pdf('giay-khai-sinh.pdf'));
  await form.getByLabel('Đã đối chiếu bản chụp với bản chính').check();
  await shot(officer, '45-certify-copy');
  await form.getByRole('button', { name: 'Chứng thực và ký số bản sao' }).click();
  await officer.waitForURL(`${BASE}/ho-so/${code}`);
  const copies = officer.getByRole('region', { name: 'Chứng thực bản sao điện tử từ bản chính' });
  assert.ok(await copies.getByText(/Giấy khai sinh — 3 trang, lệ phí 5\.000 đồng/).isVisible());
  const verify = await copies.getByRole('link', { name: 'Xác thực' }).getAttribute('href');
  const visitor = await newPage(browser);
  await visitor.goto(`${BASE}${verify}`);
  assert.ok(await visitor.getByText(/Hợp lệ: chữ ký số của cơ quan đúng/).isVisible());
  const citizen = await newPage(browser);
  await login(citizen, 'congdan');
  await citizen.goto(`${BASE}/kho-giay-to`);
  assert.ok(await citizen.getByRole('cell', { name: 'Giấy khai sinh (bản sao chứng thực điện tử)' }).first().isVisible());
});
