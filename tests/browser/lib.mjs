// Shared helpers for the browser journeys: launch Debian's chromium, sign in,
// take screenshots at desktop and phone widths.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

export const BASE = process.env.DIENHINH_URL || 'http://127.0.0.1:8099';
export const PASSWORD = process.env.DIENHINH_DEMO_PASSWORD || 'matkhau123';
export const SHOTS = process.env.SCREENSHOT_DIR || path.resolve('../../screenshots');
export const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function signIn(browser, username, size = 'desktop') {
  const context = await browser.newContext({ viewport: SIZES[size], locale: 'vi-VN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.errors = errors;
  if (username) {
    await page.goto(`${BASE}/login`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form.form button[type=submit]')]);
  }
  return { context, page };
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
