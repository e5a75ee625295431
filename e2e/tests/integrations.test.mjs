// Issue 16: the outside world as the demo shows it (serve --demo mounts a sandbox gateway and a
// reference National Public Service Portal). A citizen pays a dossier's fees through the
// gateway; the dossier is synced to the portal and the applicant notified by SMS and e-mail; the
// office reads the payment ledger and the sync; an administrator replays and cancels dead letters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, openBrowser, newPage, shot, login, api, token, eventually, PHONE } from './harness.mjs';

let browser;
before(async () => { browser = await openBrowser(); });
after(async () => { await browser?.close(); });

test('a citizen pays online through the gateway; the dossier is synced and notified; the office reads the ledger', async () => {
  const [citizenToken, desk, specialist, admin] =
    [await token('congdan'), await token('motcua'), await token('chuyenvien'), await token('admin')];
  const { code } = await api('POST', '/api/v1/dossiers', citizenToken, { procedure: '2.000908', channel: 'online', desk: 'H24.02',
    applicant: { kind: 'citizen', id: '031095001234', name: 'Vũ Minh Anh', phone: '0912345678', email: 'vu.minh.anh@example.vn' } });
  await api('POST', `/api/v1/dossiers/${code}/accept`, desk, { revision: 1 });
  await api('POST', `/api/v1/dossiers/${code}/transfer`, desk, { revision: 2, agency: 'H24.11' });
  await api('POST', `/api/v1/dossiers/${code}/request_payment`, specialist, { revision: 3, amount_vnd: 50000 });

  // On the phone: the dossier page offers the online payment; the gateway's page; back.
  const citizen = await newPage(browser, PHONE);
  await login(citizen, 'congdan');
  await citizen.goto(`${BASE}/ho-so/${code}`);
  assert.ok(await citizen.getByText('Số tiền phải nộp: 50.000 đồng').isVisible());
  await shot(citizen, '40-phone-payment-due');
  await citizen.getByRole('button', { name: 'Thanh toán trực tuyến' }).click();
  await citizen.waitForURL(/\/sandbox\/thanh-toan\/pay\?/);
  assert.ok(await citizen.getByText('50000 đồng').isVisible());
  await shot(citizen, '41-phone-gateway');
  await citizen.getByRole('button', { name: 'Xác nhận thanh toán' }).click();
  await citizen.waitForURL(/\/thanh-toan\/ket-qua\?/);
  assert.ok(await citizen.getByText('Thanh toán thành công: 50.000 đồng.').isVisible());
  await shot(citizen, '42-phone-paid');
  await citizen.getByRole('link', { name: `Về trang hồ sơ ${code}` }).click();
  assert.ok(await citizen.getByText('Đang xử lý').first().isVisible());
  const receipt = citizen.getByRole('link', { name: /^BL-.*\(PDF\)$/ });
  assert.ok(await receipt.isVisible());
  const pdf = await fetch(`${BASE}/ho-so/${code}/bien-lai/${(await receipt.getAttribute('href')).split('/').pop()}`,
    { headers: { Cookie: (await citizen.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const width = await citizen.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the dossier page fits the phone: ${width}`);

  // The applicant notified by SMS and e-mail, every change pushed to the portal.
  const notices = await eventually('notices sent', async () => {
    const all = await api('GET', `/api/v1/dossiers/${code}/notices`, citizenToken);
    return all.length > 0 && all.every((n) => n.state === 'sent') ? all : null;
  });
  assert.deepEqual([...new Set(notices.map((n) => n.channel))].sort(), ['email', 'sms']);
  const portal = await eventually('the portal has every status', async () => {
    const held = await (await fetch(`${BASE}/sandbox/dvcqg/ho-so`)).json();
    const statuses = (held[code] ?? []).map((t) => t.status);
    return statuses.join() === '1,2,4,6,4' ? statuses : null;
  });
  assert.deepEqual(portal, [1, 2, 4, 6, 4]);

  // The desk sees the sync; the office the ledger and the pushes.
  const officer = await newPage(browser);
  await login(officer, 'motcua');
  await officer.goto(`${BASE}/ho-so/${code}`);
  assert.ok(await officer.getByText(/Đã đồng bộ, lần gần nhất/).isVisible());
  await shot(officer, '43-desk-synced');
  const office = await newPage(browser);
  await login(office, 'admin');
  await office.goto(`${BASE}/quan-tri/thanh-toan`);
  const row = office.locator('tr', { hasText: code });
  assert.ok(await row.getByText('Đã thanh toán').isVisible());
  await shot(office, '44-payment-ledger');
  await office.goto(`${BASE}/quan-tri/thong-bao?channel=portal`);
  assert.ok(await office.getByRole('link', { name: code }).first().isVisible());
  assert.ok(await office.getByText('Đồng bộ Cổng DVC quốc gia').first().isVisible());
  await shot(office, '45-portal-sync');
  const ledger = await api('GET', '/api/v1/payments?state=paid', admin);
  assert.ok(ledger.payments.some((p) => p.dossier === code && p.amount_vnd === 50000));
});

/// Have the reference portal refuse the next push, and wait for a dead letter of the portal.
async function deadLetter(desk, admin) {
  await fetch(`${BASE}/sandbox/dvcqg/_faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '["refuse"]' });
  await api('POST', '/api/v1/dossiers', desk, { procedure: '2.000908', channel: 'counter',
    applicant: { kind: 'citizen', id: '031095001234', name: 'Vũ Minh Anh' } });
  return eventually('a dead letter', async () => {
    const o = await api('GET', '/api/v1/outbox?state=failed&channel=portal', admin);
    return o.messages[0] ?? null;
  });
}

test('an administrator replays one dead letter and cancels another', async () => {
  const [desk, admin] = [await token('motcua'), await token('admin')];
  const office = await newPage(browser);
  await login(office, 'admin');

  const first = await deadLetter(desk, admin);
  await office.goto(`${BASE}/quan-tri/thong-bao?state=failed`);
  const row = office.locator('tr', { hasText: 'lỗi giả lập' }).first();
  assert.ok(await row.isVisible());
  await shot(office, '46-dead-letters');
  await office.locator(`form[action="/quan-tri/thong-bao/${first.id}/gui-lai"] button`).click();
  await office.waitForURL(/state=failed/);
  await eventually('the replayed push is sent', async () => {
    const o = await api('GET', '/api/v1/outbox?state=sent&channel=portal&limit=500', admin);
    return o.messages.some((m) => m.id === first.id);
  });

  const second = await deadLetter(desk, admin);
  await office.goto(`${BASE}/quan-tri/thong-bao?state=failed`);
  await office.locator(`form[action="/quan-tri/thong-bao/${second.id}/huy"] button`).click();
  await office.waitForURL(/state=failed/);
  assert.ok(office.confirmations.some((q) => q.startsWith('Huỷ hẳn thông báo này?')), 'cancelling asks first');
  const cancelled = await api('GET', '/api/v1/outbox?state=cancelled&channel=portal', admin);
  assert.ok(cancelled.messages.some((m) => m.id === second.id));
  await office.goto(`${BASE}/quan-tri/thong-bao?state=cancelled`);
  assert.ok(await office.getByText('Đã huỷ').first().isVisible());
  await shot(office, '47-dead-letter-cancelled');
});
