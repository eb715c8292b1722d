// Issue 17 in a real browser, the items that truth.test.mjs does not show: each test is what
// a clerk or reviewer sees on a page, and each assertion is one that the page failed before
// the item was fixed (a role told as a state, UTC, rule ids as labels, Chinese inside English
// pages, no 合计, 2024Q2 refused, 偏差原因 asked twice, an upload page naming four formats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, login, root } from './harness.mjs';

const env = suite();
const TRANSPORT = '交通工具购置及更新';
const UNIT = '上海市减污降碳管理运行技术中心';
const CJK = /[\u3400-\u9fff]/;

async function idOf(page, url, name) {
  await page.goto(`${url}/`);
  const row = page.locator('table tr', { has: page.locator(`a:text-is("${name}")`) }).filter({ hasText: UNIT });
  const href = await row.locator(`a:text-is("${name}")`).first().getAttribute('href');
  return href.split('/').pop();
}

/** A time shown as Beijing time (`2026年12月6日 09:16:54`), as milliseconds since the epoch. */
function beijing(text) {
  const m = text.match(/(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{2}):(\d{2}):(\d{2})/);
  assert.ok(m, `a time in Beijing time: ${text}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return Date.UTC(y, mo - 1, d, h - 8, mi, s);
}

// Item 7: the role is the reason, and a viewer is shown no editor to fill in.
test('a viewer opening an editor is told the role is why, with no editor buttons', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'viewer', users.viewer);
  const id = await idOf(page, url, TRANSPORT);
  const res = await page.goto(`${url}/projects/${id}/edit`);
  assert.equal(res.status(), 403);
  const text = await page.locator('main').innerText();
  assert.match(text, /只读/);
  assert.match(text, /无权填报/);
  assert.doesNotMatch(text, /申报当前状态/);
  for (const sel of ['form#editor', '#save', '#check', '#add-indicator']) {
    assert.equal(await page.locator(sel).count(), 0, `${sel} on a viewer's page`);
  }
  await page.context().close();
});

// Item 9: times are Beijing time (the default zone), never UTC.
test('the history shows the time of a change in Beijing time, not UTC', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  const id = await idOf(page, url, TRANSPORT);
  await page.goto(`${url}/projects/${id}/actuals`);
  const before = Date.now();
  await page.selectOption('select[name=indicator]', '1.1.1');
  await page.fill('input[name=date]', '2024-10-31');
  await page.fill('input[name=value]', '11000公里');
  await Promise.all([page.waitForNavigation(), page.click(`form[action="/projects/${id}/actuals"] button[type=submit]`)]);
  const after = Date.now();
  await page.goto(`${url}/projects/${id}/history`);
  const audit = page.locator('[data-testid=audit]');
  assert.doesNotMatch(await audit.innerText(), /UTC/);
  const first = await audit.locator(':scope > tbody > tr').first().locator('td').first().innerText();
  // The row's time is the moment of the change, read as Beijing time (to the second).
  const at = beijing(first);
  assert.ok(at >= before - 60_000 && at <= after + 60_000, `${first} is not the time of the change in Beijing`);
  await page.context().close();
});

// Item 10: rules by their Chinese labels, the ids only in a hover.
test('findings name their rule in Chinese; the id is only in the hover', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  await page.goto(`${url}/upload`);
  await page.setInputFiles('input[name=file]', join(root, 'tests/data/seed_2024_shanghai.txt'));
  await Promise.all([page.waitForNavigation(), page.click('form[action="/upload"] button[type=submit]')]);
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /\b(consistency|coverage|dates|duplicates|funds|measurability|structure)\.[a-z0-9-]+/);
  const rule = page.locator('[title="measurability.vague-target"]').first();
  assert.match(await rule.innerText(), CJK);
  await page.context().close();
});

// Item 10: an English page is English, the 汇总表 too (names stay as they are written).
test('the English summary page is English, its table and subtitle too', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'admin', users.admin);
  await page.goto(`${url}/lang?to=en&next=/`);
  await page.goto(`${url}/summary?year=2024&unit=${encodeURIComponent(UNIT)}&as_of=2024-07-31`);
  const table = page.locator('table.jixiao-summary');
  const heads = await table.locator('th').allInnerTexts();
  assert.ok(heads.length > 5, heads.join('|'));
  for (const h of heads) assert.doesNotMatch(h, CJK, heads.join('|'));
  const sub = await page.locator('p.sub').innerText();
  assert.match(sub, /as of/);
  assert.doesNotMatch(sub.replace(UNIT, ''), CJK, sub);
  const body = await table.innerText();
  assert.doesNotMatch(body, /合计|草稿|已批准|绿|红|无实际值/, body);
  assert.match(body, /Total/);
  await page.context().close();
});

// Item 12: the spending table has a 合计 row and a running 执行率.
test('the spending table has a running 执行率 and a 合计 row', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'finance', users.finance);
  const id = await idOf(page, url, TRANSPORT);
  await page.goto(`${url}/projects/${id}/actuals`);
  const table = page.locator('table.grid', { has: page.locator('[data-testid=spending-total]') });
  const rows = await table.locator('tbody tr').all();
  assert.ok(rows.length >= 2);
  const rates = [];
  for (const r of rows) {
    const cells = await r.locator('td').allInnerTexts();
    rates.push(Number(cells[3].replace('%', '')));
  }
  assert.ok(rates.every((x, i) => x > 0 && (i === 0 || x >= rates[i - 1])), `running 执行率: ${rates}`);
  const total = await table.locator('[data-testid=spending-total] td').allInnerTexts();
  assert.match(total[0], /合计/);
  assert.equal(Number(total[3].replace('%', '')), rates[rates.length - 1], total.join('|'));
  await page.context().close();
});

// Item 8: a quarter written as a clerk writes it, on a cumulative ≥ indicator, is read as of
// its date; and an amount in 万 is answered in Chinese alone on a Chinese page (item 10).
test('2024Q2 on a cumulative indicator is accepted; 45万 is answered in one language', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  const id = await idOf(page, url, TRANSPORT);
  await page.goto(`${url}/projects/${id}/actuals`);
  await page.selectOption('select[name=indicator]', '1.1.1');
  await page.fill('input[name=date]', '2024-06-30');
  await page.fill('input[name=period]', '2024Q2');
  await page.fill('input[name=value]', '6600公里');
  await Promise.all([page.waitForNavigation(), page.click(`form[action="/projects/${id}/actuals"] button[type=submit]`)]);
  assert.equal(await page.locator('form[action$="/actuals"] [role=alert]').count(), 0);
  const status = await page.locator('[role=status]').innerText();
  assert.match(status, /实际完成值已更正，原值 6500公里/);
  assert.match(status, /2024年6月30日/);
  await page.fill('form[action$="/spending"] input[name=date]', '2024-11-30');
  await page.fill('form[action$="/spending"] input[name=amount]', '45万');
  await Promise.all([page.waitForNavigation(), page.click(`form[action="/projects/${id}/spending"] button[type=submit]`)]);
  const why = await page.locator('form[action$="/spending"] .field-error').allInnerTexts();
  const said = why.join(' ');
  assert.match(said, /450,000\.00/);
  assert.doesNotMatch(said, /[A-Za-z]{3,}/, said);
  await page.context().close();
});

// Item 5: a 说明 typed with an actual value is the 偏差原因, in one place.
test('the note of an actual value is the reason for its deviation, not asked for again', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  const id = await idOf(page, url, TRANSPORT);
  await page.goto(`${url}/projects/${id}/evaluation`);
  const row = page.locator('[data-testid=notes] tbody tr', { has: page.locator('code:text-is("1.1.1")') });
  assert.doesNotMatch(await row.innerText(), /须说明/);
  assert.match(await row.locator('input[name^=reason_]').inputValue(), /特种专业技术用车9月方到货/);
  await page.context().close();
});

// Issue 17 item 4 of the brief: the upload page names every format it reads, and reads them.
test('the upload page names every format it reads, and a Word form is previewed', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  await page.goto(`${url}/upload`);
  const says = await page.locator('p.sub').innerText();
  for (const f of ['PDF', 'Word', '.docx', '.xls', '.html', 'CSV', 'JSON']) assert.ok(says.includes(f), `${f}: ${says}`);
  const accept = await page.locator('input[name=file]').getAttribute('accept');
  for (const ext of ['.pdf', '.docx', '.xls', '.html']) assert.ok(accept.split(',').includes(ext), accept);
  await page.setInputFiles('input[name=file]', {
    name: 'seed.docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    buffer: readFileSync(join(root, 'tests/data/forms/ok/0013_seed_word_table.docx')),
  });
  await Promise.all([page.waitForNavigation(), page.click('form[action="/upload"] button[type=submit]')]);
  assert.match(await page.locator('main').innerText(), new RegExp(TRANSPORT));
  await page.goto(`${url}/lang?to=en&next=/upload`);
  await page.goto(`${url}/upload`);
  const en = await page.locator('p.sub').innerText();
  assert.doesNotMatch(en, CJK, en);
  assert.match(en, /PDF/);
  await page.context().close();
});
