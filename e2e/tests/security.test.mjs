// Issue 12 in the browser: the pages pass their own Content-Security-Policy (no inline script or
// handler is blocked), a dossier link opened without a session comes back to the dossier after
// login, and after logout the Back button shows no applicant's data (Cache-Control: no-store).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, DEMO_PASSWORD, openBrowser, newPage, shot } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

/// A dossier received at the counter through the API; its code.
async function counterDossier(name) {
  const token = (await (await fetch(`${BASE}/api/v1/auth/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'motcua', password: DEMO_PASSWORD }),
  })).json()).token;
  const r = await fetch(`${BASE}/api/v1/dossiers`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ procedure: '2.000908', channel: 'counter',
      applicant: { kind: 'citizen', id: '031095001234', name, phone: '0912345678' } }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).code;
}

/// Collect what the browser reports as refused by the Content-Security-Policy.
function watchCsp(page) {
  const refused = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
  page.on('pageerror', (e) => refused.push(String(e)));
  return refused;
}

test('a dossier link opened without a session comes back to the dossier, the pages pass their CSP, Back after logout shows nothing', async () => {
  const code = await counterDossier('Đỗ Thị Hạnh');
  const page = await newPage(browser);
  const refused = watchCsp(page);
  await page.goto(`${BASE}/ho-so/${code}`);
  await page.waitForURL(/\/dang-nhap\?next=/);
  await page.getByLabel('Tên đăng nhập').fill('motcua');
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${BASE}/ho-so/${code}`);
  assert.ok(await page.getByText('Đỗ Thị Hạnh').first().isVisible(), 'the dossier page, after login');
  await shot(page, '40-back-to-the-dossier');
  for (const path of ['/thu-tuc', '/thu-tuc/1.001193', '/mot-cua/tiep-nhan', '/ho-so', `/ho-so/${code}/mau/01`, '/lich-lam-viec']) {
    await page.goto(`${BASE}${path}`);
    await page.waitForLoadState('load');
  }
  assert.deepEqual(refused, [], 'nothing on the pages is refused by their own policy');

  // Logout on a shared counter PC, then Back: the browser asks the server again (no-store) and
  // is sent to the login page, not shown the applicant's name from its cache.
  await page.goto(`${BASE}/ho-so/${code}`);
  await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
  await page.waitForURL(`${BASE}/`);
  await page.goBack();
  await page.waitForLoadState('load');
  assert.equal(await page.getByText('Đỗ Thị Hạnh').count(), 0, 'no applicant data after logout');
  assert.match(page.url(), /\/dang-nhap/);
  await shot(page, '41-back-after-logout');
});
