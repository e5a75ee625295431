// Issue 17, done-when: a citizen signs in through the identity provider (the OpenID Connect
// provider e2e/run.sh starts from test-support/oidc, standing in for VNeID), files online with
// the declaration, two uploads and one document of their vault; the officers process it; the
// citizen downloads the signed result; the verification page says valid, and invalid for a
// changed copy. A replayed callback signs nobody in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, newPage, shot, api, token, login, PHONE, pdf, fillLltpDeclaration, checkCopy, tampered } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

/// Sign in at the provider's own pages as the person with that personal ID; the callback
/// address the provider sent the browser back to.
async function signInWithVneid(page, personalId) {
  let callback;
  page.on('request', (r) => { if (r.url().includes('/dang-nhap/vneid/ve?')) callback = r.url(); });
  await page.goto(`${BASE}/dang-nhap?next=/ho-so`);
  await page.getByRole('link', { name: /Đăng nhập bằng tài khoản định danh điện tử VNeID/ }).click();
  await page.locator('input[name="login"]').fill(personalId);
  await page.locator('input[name="password"]').fill('mat-khau-vneid');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${BASE}/ho-so`);
  return callback;
}

test('signed in through VNeID, filed with the declaration, two uploads and a vault document, result signed and verified', async () => {
  const citizen = await newPage(browser, PHONE);
  const callback = await signInWithVneid(citizen, '031095001234');
  assert.ok(callback, 'the provider sent the browser back to the callback');
  assert.ok(await citizen.getByText('Vũ Minh Anh').first().isVisible(), 'signed in to the account linked to the person');
  await shot(citizen, '47-phone-signed-in-vneid');

  // The identity card goes to the vault with a first filing.
  await fillLltpDeclaration(citizen, 'số 1', 'Xin việc');
  await citizen.locator('input[name="file_2"]').setInputFiles(pdf('can-cuoc.pdf'));
  await citizen.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await citizen.waitForURL(/da_nop=1$/);

  // The filing of the journey: declaration, the card from the vault, two uploads.
  await fillLltpDeclaration(citizen, 'số 1', 'Du học');
  await citizen.locator('select[name="vault_2"]').selectOption({ index: 1 });
  await citizen.locator('input[name="file_4"]').setInputFiles(pdf('mien-phi.pdf'));
  await citizen.locator('input[name="file_5"]').setInputFiles(pdf('uy-quyen.pdf'));
  await citizen.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await citizen.waitForURL(/da_nop=1$/);
  const code = new URL(citizen.url()).pathname.split('/').pop();
  assert.ok(await citizen.getByText('Nộp bằng tài khoản đã xác thực VNeID').isVisible(), 'the dossier records the authentication');
  assert.ok(await citizen.getByText('Lấy từ kho dữ liệu của người nộp').isVisible(), 'the card came from the vault');
  for (const name of ['mien-phi.pdf', 'uy-quyen.pdf']) {
    assert.ok(await citizen.getByRole('link', { name }).isVisible(), `${name} is with the dossier`);
  }
  await shot(citizen, '48-phone-filed-vneid');

  // The desk accepts and transfers it; the Department's leader signs the result.
  const desk = await token('motcua');
  const accepted = await api('POST', `/api/v1/dossiers/${code}/accept`, desk, { revision: 1 });
  await api('POST', `/api/v1/dossiers/${code}/transfer`, desk, { revision: accepted.revision, agency: 'H24.11' });
  const leader = await newPage(browser);
  await login(leader, 'lanhdao');
  await leader.goto(`${BASE}/ho-so/${code}`);
  await leader.getByRole('button', { name: 'Ký số và phát hành kết quả điện tử' }).click();
  await leader.waitForURL(`${BASE}/ho-so/${code}`);

  // The citizen downloads the signed result from their dossier's page.
  await citizen.goto(`${BASE}/ho-so/${code}`);
  const signed = citizen.getByRole('region', { name: 'Kết quả điện tử có chữ ký số' });
  const download = await signed.getByRole('link', { name: 'Tải kết quả (PDF)' }).getAttribute('href');
  const verify = await signed.getByRole('link', { name: 'Xác thực' }).getAttribute('href');
  const response = await citizen.request.get(`${BASE}${download}`);
  assert.equal(response.status(), 200);
  const bytes = Buffer.from(await response.body());
  assert.equal(bytes.subarray(0, 4).toString(), '%PDF');

  // Valid as issued; invalid once changed.
  const visitor = await newPage(browser, PHONE);
  await visitor.goto(`${BASE}${verify}`);
  assert.ok(await visitor.getByText(/Hợp lệ: chữ ký số của cơ quan đúng/).isVisible());
  assert.ok(await checkCopy(visitor, tampered(bytes), /Không hợp lệ: nội dung tệp đã bị thay đổi/));
  await shot(visitor, '49-phone-vneid-result-changed');

  // The callback opened again (a replayed state): refused, and nobody is signed in by it.
  const other = await newPage(browser);
  const replay = await other.goto(callback);
  assert.equal(replay.status(), 400);
  assert.ok(await other.getByText(/sign_in_expired/).isVisible());
  assert.equal((await other.context().cookies()).filter((c) => c.name === 'motcua_session').length, 0);
  await shot(other, '50-vneid-replayed-callback');
});

test('a person seen for the first time gets a citizen account of their own', async () => {
  const citizen = await newPage(browser);
  await signInWithVneid(citizen, '001090000123');
  assert.ok(await citizen.getByText('Nguyễn Văn An').first().isVisible());
  await citizen.goto(`${BASE}/kho-giay-to`);
  assert.equal(citizen.url(), `${BASE}/kho-giay-to`, 'the vault of their own identity opens');
});
