// Browser journeys in real headless Chromium. Each step asserts; the run
// ends with "N passed, M failed" and a non-zero exit on any failure.
import assert from 'node:assert/strict';
import { launch, signIn, shot, BASE } from './lib.mjs';
import fs from 'node:fs';
import { createRequire } from 'node:module';

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

// The page a write lands on, announcing `message`. Waiting for any `.alert.ok`
// would be satisfied by the previous page's announcement before the browser
// has left it, and the next step would act on the old page.
async function announced(page, message) {
  await page.waitForSelector(`[role=status]:has-text("${message}")`);
}

// An action that cannot be undone answers a page that says what will
// happen; nothing is done until it is confirmed there.
// The confirmation page of a step or an action (templates/confirm.html):
// what will happen, then the button that does it.
async function confirmAction(page) {
  await page.waitForSelector('main p:has-text("Bạn có chắc chắn?")');
  assert.ok(await page.locator('main .alert.warn').innerText(), 'the confirmation says what will happen');
  await page.click('main form button.primary');
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
  await page.click('form.form button.primary');
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
  await page.click('form.form button.primary');
  // The browser's own required-field check stops an empty submit; bypass it
  // to see the server's message too.
  await page.evaluate(() => document.querySelector('form.form').noValidate = true);
  await page.click('form.form button.primary');
  await page.waitForSelector('.field-error');
  assert.match(await page.locator('.field-error').first().innerText(), /Vui lòng nhập tên tổ chức/);
  await page.fill('input[name=name]', 'Đảng bộ Sở Khoa học và Công nghệ');
  await page.selectOption('select[name=kind]', 'tccs');
  await page.click('form.form button.primary');
  await announced(page, 'Đã thêm tổ chức.');
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

await journey('an exemplar from discovery to the bloc, with fostering, evaluation and replication', async () => {
  const name = 'Lương Thị Bích Ngọc';
  // TCCS staff records a newly found exemplar and starts fostering it.
  let { context, page } = await signIn(browser, 'canbo');
  await page.goto(`${BASE}/exemplars/new`);
  await page.fill('input[name=name]', name);
  await page.fill('input[name=position]', 'Kỹ sư vận hành');
  await page.check('input[name=field_ids][value="1"]');
  await page.fill('textarea[name=achievements]', 'Sáng kiến sổ tay vận hành điện tử.');
  // Found in 2024: the plan's criteria set (2022–2025) covers a year it can be evaluated for.
  await page.fill('input[name=year_found]', '2024');
  // Enter in a field saves (the unit picker's own button must not be the default).
  await page.press('input[name=position]', 'Enter');
  await announced(page, 'Đã thêm điển hình.');
  const url = page.url().split('?')[0];
  await page.selectOption('select[name=step]', 'boi_duong');
  await page.fill('textarea[name=reason]', 'Đưa vào diện bồi dưỡng năm 2026');
  await page.click('form[action$="/steps"] button[type=submit]');
  await confirmAction(page);
  await announced(page, 'Đã ghi nhận bước xét duyệt');
  await page.click('details.add summary >> nth=0');
  await page.fill('#boi-duong textarea[name=support]', 'Phòng Kỹ thuật kèm cặp hoàn thiện sáng kiến');
  await page.fill('#boi-duong input[name=responsible]', 'Phòng Kỹ thuật');
  await page.click('#boi-duong form button[type=submit]');
  await announced(page, 'Đã thêm nội dung bồi dưỡng.');
  assert.ok((await page.content()).includes('Phòng Kỹ thuật kèm cặp'));
  // A photo as evidence.
  await page.setInputFiles('#minh-chung input[type=file]', new URL('../../crates/app/seed/demo-photo.png', import.meta.url).pathname);
  await page.click('#minh-chung button[type=submit]');
  await announced(page, 'Đã tải lên minh chứng.');
  assert.equal(await page.locator('#minh-chung img').count(), 1);
  assert.ok(await page.locator('#minh-chung img').evaluate((img) => img.complete && img.naturalWidth === 240), 'the photo is served and shown');
  await shot(page, 'journey-exemplar-fostered-desktop');
  await context.close();

  // The cấp ủy recognises it and records an evaluation.
  ({ context, page } = await signIn(browser, 'capuy', 'phone'));
  await page.goto(url);
  await page.selectOption('select[name=step]', 'cong_nhan');
  await page.fill('textarea[name=reason]', 'Hội nghị Đảng ủy Công ty xét công nhận');
  // A recognition records the decision behind it: its number and date.
  await page.fill('input[name=decision_no]', '21-NQ/ĐU');
  await page.fill('input[name=decided_on]', '2025-12-15');
  await page.click('form[action$="/steps"] button[type=submit]');
  await confirmAction(page);
  await announced(page, 'Đã ghi nhận bước xét duyệt');
  assert.match(await page.locator('.status').first().innerText(), /công nhận/);
  await page.goto(`${url}/evaluations/new`);
  // The form opens on a year the set covers, every criterion unanswered: answer each.
  for (const r of await page.locator('input[type=radio][value="dat"]').all()) await r.check();
  await page.click('form.form button.primary');
  await announced(page, 'Đã lưu kết quả đánh giá.');
  await shot(page, 'journey-exemplar-recognised-phone');
  await context.close();

  // The Ban Thường vụ raises it to the bloc; the Ban Tuyên giáo records its spread.
  ({ context, page } = await signIn(browser, 'btv'));
  await page.goto(url);
  await page.selectOption('select[name=step]', 'nang_cap');
  await page.fill('textarea[name=reason]', 'Ban Thường vụ công nhận điển hình cấp Khối');
  await page.fill('input[name=decision_no]', '215-NQ/ĐUK');
  await page.fill('input[name=decided_on]', '2026-01-10');
  await page.click('form[action$="/steps"] button[type=submit]');
  await confirmAction(page);
  await announced(page, 'Đã ghi nhận bước xét duyệt');
  assert.ok((await page.content()).includes('Cấp <strong>Khối</strong>'));
  await context.close();
  ({ context, page } = await signIn(browser, 'btg'));
  await page.goto(url);
  await page.click('#nhan-rong details.add summary >> nth=0');
  // Picker labels are indented by tree depth: find the option by its text.
  const adopter = await page.locator('#nhan-rong select[name=adopter_org_id] option', { hasText: 'Đảng bộ Sở Tài chính' }).first().getAttribute('value');
  await page.selectOption('#nhan-rong select[name=adopter_org_id]', adopter);
  await page.click('#nhan-rong form[action*="/replications"] button[type=submit]');
  await announced(page, 'Đã ghi nhận đơn vị nhân rộng.');
  assert.ok((await page.locator('#nhan-rong').innerText()).includes('Đảng bộ Sở Tài chính'));
  // And finds it by typing the name without diacritics in the search box of every page.
  await page.fill('form.search input[name=q]', 'luong thi bich ngoc');
  await page.press('form.search input[name=q]', 'Enter');
  await page.waitForURL(/\/search/);
  await page.click(`a:has-text("${name}")`);
  await page.waitForURL(url);
  await page.goto(`${BASE}/exemplars?q=luong thi bich ngoc`);
  assert.equal(await page.locator(`text=${name}`).count(), 1);
  await shot(page, 'journey-exemplar-found-desktop');
  assert.deepEqual(page.errors, []);
  await context.close();
});

await journey('an organisation named like markup stays text (no script, no element)', async () => {
  const { context, page } = await signIn(browser, 'admin');
  const name = '<img src=x onerror="window.__xss=1">';
  await page.goto(`${BASE}/orgs/new`);
  await page.fill('input[name=name]', name);
  await page.selectOption('select[name=kind]', 'tccs');
  await page.click('form.form button.primary');
  await announced(page, 'Đã thêm tổ chức.');
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

// Every demo role's home says what needs that person's action now; each
// card opens the list it counts, with as many rows (over every page).
const DEMO_ROLES = ['admin', 'btv', 'btg', 'capuy', 'canbo', 'xem', 'capuy.taichinh', 'canbo.taichinh'];
// Those whose role acts on something the cards count.
const ROLES_WITH_CARDS = ['btv', 'capuy', 'canbo', 'capuy.taichinh', 'canbo.taichinh'];
async function listedRows(page) {
  let total = 0;
  for (;;) {
    const models = await page.locator('tr.model').count();
    total += models || await page.locator('table.list tbody tr:not(:has(td[colspan]))').count();
    const next = page.locator('.pager a:has-text("Trang sau")');
    if (!(await next.count())) return total;
    await next.first().click();
  }
}
await journey('the menu fits one line at 1366 px for every demo role', async () => {
  for (const who of DEMO_ROLES) {
    const { context, page } = await signIn(browser, who, 'desktop');
    await page.goto(`${BASE}/exemplars`);
    const tops = await page.locator('nav.main a').evaluateAll((links) => links.map((a) => a.getBoundingClientRect().top));
    assert.ok(tops.length > 1, `${who} has a menu`);
    assert.equal(new Set(tops).size, 1, `${who}: the menu wraps onto ${new Set(tops).size} lines`);
    await context.close();
  }
});

for (const who of DEMO_ROLES) {
  await journey(`home of ${who}: each "Việc cần làm" card opens a list of as many`, async () => {
    const { context, page } = await signIn(browser, who, who.startsWith('canbo') ? 'phone' : 'desktop');
    await page.goto(`${BASE}/`);
    const cards = page.locator('section.todo a.todo-card');
    const n = await cards.count();
    if (ROLES_WITH_CARDS.includes(who)) assert.ok(n > 0, `${who} sees cards`);
    if (n) assert.equal(await page.locator('section.todo h2').innerText(), 'Việc cần làm');
    for (let i = 0; i < n; i++) {
      await page.goto(`${BASE}/`);
      const card = page.locator('section.todo a.todo-card').nth(i);
      const count = Number(await card.locator('strong').innerText());
      const what = await card.locator('span').innerText();
      await card.click();
      assert.equal(await listedRows(page), count, `${who}: «${what}»`);
    }
    if (n) {
      await page.goto(`${BASE}/`);
      await shot(page, `journey-home-${who}`);
    }
    await context.close();
  });
}
await journey('a commendation round from nomination to the Ban Thường vụ decision, by the roles that do each part', async () => {
  const year = new Date().getFullYear();
  // The TCCS officer nominates, completes the dossier and sends it.
  let { context, page } = await signIn(browser, 'canbo');
  await page.goto(`${BASE}/exemplars?q=${encodeURIComponent('Phạm Văn Hùng')}`);
  const href = await page.locator('a', { hasText: 'Phạm Văn Hùng' }).first().getAttribute('href');
  const exemplarId = href.split('/').pop();
  await page.goto(`${BASE}/rounds`);
  await page.locator('a', { hasText: 'Khen thưởng của Ban Thường vụ' }).first().click();
  const roundPath = new URL(page.url()).pathname;
  // The picker lists the unit's own exemplars, searched by name; the typed id is gone.
  await page.fill('input[name=q]', 'Phạm Văn Hùng');
  await page.click('button:has-text("Tìm điển hình")');
  await page.check(`input[name=exemplar_id][value="${exemplarId}"]`);
  await page.click('button:has-text("Lập hồ sơ đề nghị")');
  await announced(page, 'Đã lập hồ sơ');
  const nominationPath = new URL(page.url()).pathname;
  assert.match(await page.inputValue('textarea[name=report]'), /Thiết bị cảnh báo sớm/);
  await page.fill('textarea[name=confirmation]', 'Đảng ủy Công ty Điện lực Nam Định xác nhận và đề nghị.');
  await page.click('button:has-text("Lưu hồ sơ")');
  await announced(page, 'Đã lưu hồ sơ.');
  await page.click('button:has-text("Gửi hồ sơ")');
  await page.waitForSelector('text=Đã gửi, chờ thẩm định');
  await context.close();
  // The Ban Tuyên giáo accepts it, returns the other dossier with a comment, and opens the session.
  ({ context, page } = await signIn(browser, 'btg'));
  await page.goto(BASE + nominationPath);
  await page.click('button:has-text("Thẩm định đạt")');
  await page.waitForSelector('text=Đã thẩm định, chờ bình xét');
  await page.goto(BASE + roundPath);
  const other = page.locator('tr', { hasText: 'Đã gửi, chờ thẩm định' }).locator('a').first();
  if (await other.count()) {
    await other.click();
    await page.fill('textarea[name=comment_bao_cao_thanh_tich]', 'Bổ sung số liệu năm ' + year + '.');
    await page.click('button:has-text("Trả lại để bổ sung")');
    await page.waitForSelector('text=Bổ sung số liệu năm');
    await page.goto(BASE + roundPath);
  }
  await page.fill('input[name=held_on]', new Date().toISOString().slice(0, 10));
  await page.click('button:has-text("Mở phiên bình xét")');
  await page.waitForSelector('text=Hồ sơ 1/1');
  const sessionPath = new URL(page.url()).pathname;
  await context.close();
  // Council members vote on their phones; Bùi Quang Vinh is recused (a role at the nominee's company).
  for (const member of ['btv', 'btg', 'hd.lan', 'hd.trang']) {
    ({ context, page } = await signIn(browser, member, 'phone'));
    await page.goto(BASE + sessionPath);
    await page.click('.vote-buttons button:has-text("Đồng ý")');
    await page.waitForSelector('text=Đồng chí đã biểu quyết hồ sơ này');
    if (member === 'hd.trang') await shot(page, 'journey-council-vote-phone');
    await context.close();
  }
  ({ context, page } = await signIn(browser, 'hd.vinh', 'phone'));
  await page.goto(BASE + sessionPath);
  await page.waitForSelector('text=không biểu quyết hồ sơ này');
  assert.equal(await page.locator('.vote-buttons').count(), 0);
  await context.close();
  ({ context, page } = await signIn(browser, 'btg'));
  await page.goto(BASE + sessionPath);
  await page.click('button:has-text("Kết thúc phiên")');
  await page.waitForSelector('text=Đã kết thúc');
  await context.close();
  // The Ban Thường vụ decides; the exemplar's history shows the decision.
  ({ context, page } = await signIn(browser, 'btv'));
  await page.goto(BASE + roundPath);
  await page.fill('input[name=number]', '45-QĐ/ĐUK');
  await page.fill('input[name=date]', '2025-12-30');
  await page.fill('input[name=signer]', 'Trần Văn Thường');
  await page.click('button:has-text("Ghi quyết định khen thưởng")');
  await page.waitForSelector('.alert.error');
  assert.match(await page.locator('.alert.error').innerText(), /đã được dùng/);
  assert.equal(await page.inputValue('input[name=signer]'), 'Trần Văn Thường', 'what was typed is kept');
  // Left empty, the number is issued by the register: the next QĐ of the term after the 45 recorded.
  await page.fill('input[name=number]', '');
  await page.fill('input[name=date]', new Date().toISOString().slice(0, 10));
  await page.click('button:has-text("Ghi quyết định khen thưởng")');
  await announced(page, 'Đã ghi kết quả của đợt');
  assert.ok((await page.content()).includes('46-QĐ/ĐUK'), 'the issued number is shown');
  // The round's documents download: the workbook and the list attached to the decision.
  for (const link of ['Tải danh sách đề nghị và kết quả bình xét (XLSX)', 'Tải danh sách kèm theo (DOCX)']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`a:has-text("${link}")`)]);
    assert.ok(await download.path(), link);
  }
  assert.ok((await page.locator('tr', { hasText: 'Phạm Văn Hùng' }).innerText()).includes('Đã có quyết định khen thưởng'));
  await shot(page, 'journey-round-decided-desktop');
  await page.goto(`${BASE}/exemplars/${exemplarId}`);
  assert.ok((await page.content()).includes('46-QĐ/ĐUK'));
  await context.close();
});

// The public portal: WCAG 2.1 AA by axe-core (its source evaluated in the
// page: the strict CSP allows no injected script tag), at both widths.
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function axe(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
for (const size of ['desktop', 'phone']) {
  await journey(`portal pages have no serious accessibility violation (${size})`, async () => {
    const { context, page } = await signIn(browser, null, size);
    await page.goto(`${BASE}/bai-viet`);
    const story = await page.locator('ul.cards a').first().getAttribute('href');
    await page.goto(`${BASE}/dien-hinh`);
    const exemplar = await page.locator('ul.cards a').first().getAttribute('href');
    for (const path of ['/', '/bai-viet', story, '/dien-hinh', exemplar, '/tim-kiem?q=nguyen', '/tim-kiem?q=khongcogi']) {
      await page.goto(BASE + path);
      const bad = await axe(page);
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${path}`);
      assert.equal(await page.locator('main').count(), 1, `${path}: one main landmark`);
      assert.equal(await page.locator('h1').count(), 1, `${path}: one h1`);
    }
    // Keyboard: the first Tab reaches the skip link, which moves to the content.
    await page.goto(`${BASE}/`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    await shot(page, `portal-home-${size}`);
    await context.close();
  });
}

await journey('a story goes from draft to published and appears on the portal, feed, sitemap and search', async () => {
  const title = 'Người thợ điện trẻ nhất tổ thao tác';
  const writer = await signIn(browser, 'canbo');
  let page = writer.page;
  await page.goto(`${BASE}/stories`);
  const unit = page.locator('select[name=org_id]');
  if (await unit.count()) {
    await unit.selectOption({ index: 1 });
  }
  await page.fill('input[name=title]', title);
  await page.fill('textarea[name=body]', 'Anh **Lương Văn Tới** mới 24 tuổi đã làm tổ trưởng.');
  await page.click('button.primary:has-text("Lưu bản nháp")');
  await page.waitForSelector(`main h1:has-text("${title}")`);
  const storyUrl = page.url();
  await page.click('button:has-text("Gửi biên tập")');
  await page.waitForSelector('.status:has-text("Chờ biên tập")');
  await writer.context.close();
  const editor = await signIn(browser, 'btg');
  page = editor.page;
  await page.goto(storyUrl);
  for (const box of await page.locator('fieldset input[type=checkbox]').all()) {
    await box.check();
  }
  await page.click('button:has-text("Duyệt và đăng ngay")');
  if (await page.locator('main h1:has-text("Xác nhận")').count()) {
    await confirmAction(page);
  }
  await page.waitForSelector('.status:has-text("Đã đăng")');
  await editor.context.close();
  const visitor = await signIn(browser, null, 'phone');
  page = visitor.page;
  await page.goto(`${BASE}/`);
  await page.click(`a:has-text("${title}")`);
  assert.equal(await page.locator('h1').innerText(), title);
  assert.ok((await page.content()).includes('Lương Văn Tới'));
  for (const path of ['/feed.atom', '/sitemap.xml']) {
    const text = await (await page.request.get(BASE + path)).text();
    assert.ok(text.includes(path === '/feed.atom' ? title : new URL(page.url()).pathname), path);
  }
  await page.goto(`${BASE}/tim-kiem?q=luong van toi`);
  assert.ok(await page.locator(`ol.hits a:has-text("${title}")`).count(), 'public search finds it');
  await shot(page, 'portal-search-phone');
  await visitor.context.close();
});

await journey('a round proposed upward: opened on its page, nominated, screened, voted, the tờ trình and the decision of the higher body recorded, by the roles that do each part', async () => {
  const year = new Date().getFullYear();
  const today = new Date().toISOString().slice(0, 10);
  // The Ban Tuyên giáo opens the round: a form proposed upward, its council chosen by full name.
  let { context, page } = await signIn(browser, 'btg');
  await page.goto(`${BASE}/rounds`);
  await page.click('a:has-text("Mở đợt xét khen thưởng")');
  await page.fill('input[name=year]', 'năm nay');
  await page.fill('input[name=deadline]', `${year}-12-31`);
  await page.selectOption('select[name=form_id]', { label: 'Bằng khen của Chủ tịch UBND tỉnh (Đề nghị cấp trên)' });
  await page.fill('input[name=evaluation_years]', '0');
  await page.selectOption('select[name=ballot]', 'bieu_quyet_cong_khai');
  const members = page.locator('select[name=council_user]');
  await members.nth(0).selectOption({ label: 'Trần Văn Thường' });
  await members.nth(1).selectOption({ label: 'Lê Thị Thu Hòa' });
  await members.nth(2).selectOption({ label: 'Nguyễn Thị Lan' });
  // A year that is no number comes back with the field named and the council kept.
  await page.click('button:has-text("Mở đợt xét")');
  await page.waitForSelector('.field-error');
  assert.equal(await members.nth(2).inputValue(), await page.locator('select[name=council_user] option', { hasText: 'Nguyễn Thị Lan' }).first().getAttribute('value'));
  assert.equal(await page.inputValue('select[name=ballot]'), 'bieu_quyet_cong_khai');
  await members.nth(3).selectOption({ label: 'Đặng Thu Trang' });
  await page.fill('input[name=year]', String(year));
  await page.click('button:has-text("Mở đợt xét")');
  await page.waitForSelector('h1:has-text("Bằng khen của Chủ tịch UBND tỉnh")');
  const roundPath = new URL(page.url()).pathname;
  await shot(page, 'journey-upward-round-opened-desktop');
  await context.close();
  // The Sở Tài chính's officer nominates its exemplar and sends the dossier.
  ({ context, page } = await signIn(browser, 'canbo.taichinh'));
  await page.goto(BASE + roundPath);
  await page.fill('input[name=q]', 'Nguyễn Thị Thu Hà');
  await page.click('button:has-text("Tìm điển hình")');
  await page.locator('label', { hasText: 'Nguyễn Thị Thu Hà' }).locator('input[name=exemplar_id]').check();
  await page.click('button:has-text("Lập hồ sơ đề nghị")');
  await page.waitForSelector('.alert.ok');
  const nominationPath = new URL(page.url()).pathname;
  await page.fill('textarea[name=confirmation]', 'Đảng ủy Sở Tài chính xác nhận và đề nghị.');
  await page.click('button:has-text("Lưu hồ sơ")');
  await page.waitForSelector('.alert.ok');
  await page.click('button:has-text("Gửi hồ sơ")');
  await page.waitForSelector('text=Đã gửi, chờ thẩm định');
  await context.close();
  // The Ban Tuyên giáo screens it and opens the sitting.
  ({ context, page } = await signIn(browser, 'btg'));
  await page.goto(BASE + nominationPath);
  await page.click('button:has-text("Thẩm định đạt")');
  await page.waitForSelector('text=Đã thẩm định, chờ bình xét');
  await page.goto(BASE + roundPath);
  await page.fill('input[name=held_on]', today);
  await page.click('button:has-text("Mở phiên bình xét")');
  await page.waitForSelector('text=Hồ sơ 1/1');
  const sessionPath = new URL(page.url()).pathname;
  await context.close();
  for (const member of ['btv', 'btg', 'hd.lan', 'hd.trang']) {
    ({ context, page } = await signIn(browser, member, 'phone'));
    await page.goto(BASE + sessionPath);
    await page.click('.vote-buttons button:has-text("Đồng ý")');
    await page.waitForSelector('text=Đồng chí đã biểu quyết hồ sơ này');
    await context.close();
  }
  ({ context, page } = await signIn(browser, 'btg'));
  await page.goto(BASE + sessionPath);
  await page.click('button:has-text("Kết thúc phiên")');
  await page.waitForSelector('text=Đã kết thúc');
  await context.close();
  // The Ban Thường vụ signs the tờ trình (numbered by the register) and downloads it.
  ({ context, page } = await signIn(browser, 'btv'));
  await page.goto(BASE + roundPath);
  await page.fill('input[name=date]', today);
  await page.fill('input[name=signer]', 'Trần Văn Thường');
  await page.click('form[action$="/outcome"] button.primary');
  await page.waitForSelector('.alert.ok');
  assert.match(await page.content(), /TTr\/ĐUK/, 'the tờ trình\'s number is shown');
  assert.ok((await page.locator('tr', { hasText: 'Nguyễn Thị Thu Hà' }).innerText()).includes('Đã đề nghị cấp trên'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Tải tờ trình (DOCX)")')]);
  assert.ok(await download.path(), 'the tờ trình downloads');
  // The higher body's answer, recorded with its decision number and date.
  await page.goto(BASE + nominationPath);
  await page.fill('input[name=decision_no]', '1234/QĐ-UBND');
  await page.fill('input[name=decided_on]', today);
  await page.click('button:has-text("Được khen thưởng")');
  await page.waitForSelector('text=Được cấp trên khen thưởng');
  assert.ok((await page.content()).includes('quyết định của cấp trên số 1234/QĐ-UBND'));
  await shot(page, 'journey-upward-approved-desktop');
  await context.close();
});

// A step whose confirmation page is headed by the step itself: it says
// what will happen (the warning) before anything is done.
await journey('a TCCS review report: drafted by its staff, sent by its cấp ủy with its figures frozen and numbered, returned with comments, sent again and accepted by the Ban Tuyên giáo, shown on the aggregate', async () => {
  const year = '2024';
  // The staff drafts the report of the year: figures come from the records.
  let { context, page } = await signIn(browser, 'canbo');
  await page.goto(`${BASE}/reviews`);
  const unit = page.locator('#lap-bao-cao select[name=org_id]');
  if (await unit.count()) {
    await unit.selectOption(await unit.locator('option', { hasText: 'Điện lực' }).first().getAttribute('value'));
  }
  await page.fill('#lap-bao-cao input[name=period_from]', year);
  await page.fill('#lap-bao-cao input[name=period_to]', year);
  await page.click('#lap-bao-cao button.primary');
  await announced(page, 'Đã lập dự thảo báo cáo');
  const reportUrl = page.url().split('#')[0];
  await page.fill('textarea[name=results]', 'Phát hiện và bồi dưỡng các nhân tố mới trong sản xuất, kinh doanh điện.');
  await page.click('#noi-dung button.primary');
  await announced(page, 'Đã lưu nội dung báo cáo');
  await context.close();
  // Its cấp ủy sends it: the figures are frozen, the number issued.
  ({ context, page } = await signIn(browser, 'capuy'));
  await page.goto(reportUrl);
  await page.click('button:has-text("Gửi Đảng ủy Khối")');
  await confirmAction(page);
  await page.waitForSelector('.status:has-text("Đã gửi")');
  assert.match(await page.locator('main').innerText(), /Số \d+-BC\//, 'the sent report carries its number');
  await context.close();
  // The Ban Tuyên giáo returns it with comments.
  ({ context, page } = await signIn(browser, 'btg'));
  await page.goto(reportUrl);
  await page.fill('textarea[name=comment]', 'Đề nghị bổ sung phần bài học kinh nghiệm.');
  await page.click('button:has-text("Trả lại kèm ý kiến")');
  await confirmAction(page);
  await page.waitForSelector('.status:has-text("Bị trả lại")');
  await context.close();
  // The staff completes it, the cấp ủy sends it again, the Ban accepts it.
  ({ context, page } = await signIn(browser, 'canbo'));
  await page.goto(reportUrl);
  assert.ok((await page.content()).includes('Đề nghị bổ sung phần bài học kinh nghiệm.'), 'the comment is shown in the history');
  await page.fill('textarea[name=lessons]', 'Gắn việc nhân rộng điển hình với nhiệm vụ chính trị của đơn vị.');
  await page.click('#noi-dung button.primary');
  await announced(page, 'Đã lưu nội dung báo cáo');
  await context.close();
  ({ context, page } = await signIn(browser, 'capuy'));
  await page.goto(reportUrl);
  await page.click('button:has-text("Gửi Đảng ủy Khối")');
  await confirmAction(page);
  await page.waitForSelector('.status:has-text("Đã gửi")');
  await context.close();
  ({ context, page } = await signIn(browser, 'btg'));
  await page.goto(reportUrl);
  await page.click('button:has-text("Tiếp nhận báo cáo")');
  await confirmAction(page);
  await page.waitForSelector('.status:has-text("Đã được tiếp nhận")');
  const docx = await page.request.get(`${reportUrl}/report.docx`);
  assert.equal(docx.status(), 200);
  assert.equal((await docx.body()).subarray(0, 2).toString(), 'PK', 'a DOCX');
  await page.goto(`${BASE}/reviews/aggregate?from=${year}&to=${year}`);
  assert.match(await page.locator('main').innerText(), /Điện lực/, 'the aggregate names the unit that reported');
  await shot(page, 'review-aggregate-desktop');
  await context.close();
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
