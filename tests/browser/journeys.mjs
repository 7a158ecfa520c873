// Browser journeys in real headless Chromium. Each step asserts; the run
// ends with "N passed, M failed" and a non-zero exit on any failure.
import assert from 'node:assert/strict';
import { launch, signIn, shot, BASE } from './lib.mjs';

const browser = await launch();
let passed = 0;
let failed = 0;
async function journey(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e.stack || e).split('\n').join('\n  ')}`);
  }
}

await journey('anonymous visitor is sent to sign in', async () => {
  const { context, page } = await signIn(browser, null);
  await page.goto(`${BASE}/orgs`);
  assert.match(new URL(page.url()).pathname, /^\/login/);
  assert.equal(await page.locator('h1').innerText(), 'Đăng nhập');
  await shot(page, 'journey-login-desktop');
  await context.close();
});

await journey('wrong password shows a Vietnamese message and keeps the username', async () => {
  const { context, page } = await signIn(browser, null, 'phone');
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', 'btg');
  await page.fill('input[name=password]', 'sai-mat-khau');
  await page.click('form.form button[type=submit]');
  await page.waitForSelector('.alert.error');
  assert.match(await page.locator('.alert.error').innerText(), /không đúng/);
  assert.equal(await page.inputValue('input[name=username]'), 'btg');
  await shot(page, 'journey-login-error-phone');
  await context.close();
});

for (const size of ['desktop', 'phone']) {
  await journey(`Ban Tuyên giáo officer signs in and sees the plan (${size})`, async () => {
    const { context, page } = await signIn(browser, 'btg', size);
    assert.match(await page.locator('h1').innerText(), /Xin chào, Lê Thị Thu Hòa/);
    await shot(page, `journey-home-btg-${size}`);
    await page.click('text=Số 48-KH/ĐUK');
    await page.waitForSelector('.doc-type');
    assert.equal(await page.locator('.doc-type').innerText(), 'KẾ HOẠCH');
    assert.ok((await page.content()).includes('Gương mẫu chấp hành tốt đường lối'));
    assert.deepEqual(page.errors, [], 'no script errors');
    await context.close();
  });
}

await journey('administrator adds an organisation through the form', async () => {
  const { context, page } = await signIn(browser, 'admin');
  await page.goto(`${BASE}/orgs/new`);
  await page.fill('input[name=name]', '');
  await page.click('form.form button[type=submit]');
  // The browser's own required-field check stops an empty submit; bypass it
  // to see the server's message too.
  await page.evaluate(() => document.querySelector('form.form').noValidate = true);
  await page.click('form.form button[type=submit]');
  await page.waitForSelector('.field-error');
  assert.match(await page.locator('.field-error').first().innerText(), /Vui lòng nhập tên tổ chức/);
  await page.fill('input[name=name]', 'Đảng bộ Sở Khoa học và Công nghệ');
  await page.selectOption('select[name=kind]', 'tccs');
  await page.click('form.form button[type=submit]');
  await page.waitForSelector('.alert.ok');
  assert.equal(await page.locator('h1').innerText(), 'Đảng bộ Sở Khoa học và Công nghệ');
  await shot(page, 'journey-org-created-desktop');
  await context.close();
});

await journey('viewer sees but cannot change', async () => {
  const { context, page } = await signIn(browser, 'xem');
  await page.goto(`${BASE}/orgs`);
  assert.equal(await page.locator('text=+ Thêm tổ chức').count(), 0);
  const res = await page.goto(`${BASE}/orgs/new`);
  assert.equal(res.status(), 403);
  await context.close();
});

await journey('an organisation named like markup stays text (no script, no element)', async () => {
  const { context, page } = await signIn(browser, 'admin');
  const name = '<img src=x onerror="window.__xss=1">';
  await page.goto(`${BASE}/orgs/new`);
  await page.fill('input[name=name]', name);
  await page.selectOption('select[name=kind]', 'tccs');
  await page.click('form.form button[type=submit]');
  await page.waitForSelector('.alert.ok');
  assert.equal(await page.locator('h1').innerText(), name);
  const check = async () => {
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'injected script ran');
    assert.equal(await page.locator('img[src=x]').count(), 0, 'injected element present');
  };
  await check();
  await page.goto(`${BASE}/orgs?q=${encodeURIComponent('img src')}`);
  assert.ok((await page.content()).includes('&lt;img src=x onerror="window.__xss=1"&gt;'));
  await check();
  await page.goto(`${BASE}/orgs`);
  await check();
  await page.goto(`${BASE}/`);
  await check();
  assert.deepEqual(page.errors.filter((e) => !e.includes('Content Security Policy')), [], 'no script errors');
  await context.close();
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
