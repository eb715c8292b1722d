// Issue 17 in a real browser: every page says plainly what is true. With JIXIAO_SCREENSHOTS=<dir>
// the pages are also saved as PNG (docs/screenshots/web-*-truth.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, login, root } from './harness.mjs';

const env = suite();
const shots = process.env.JIXIAO_SCREENSHOTS;

async function shot(page, name) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function idOf(page, url, name, unit) {
  await page.goto(`${url}/`);
  const row = page.locator('table tr', { has: page.locator(`a:text-is("${name}")`) }).filter({ hasText: unit });
  const href = await row.locator(`a:text-is("${name}")`).first().getAttribute('href');
  return href.split('/').pop();
}

test('lights agree with their forecast, 执行进度 is named, no score without actuals', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'admin', users.admin);
  const id = await idOf(page, url, '交通工具购置及更新', '上海市减污降碳管理运行技术中心');
  // Year end: never green (or blue) beside 完全不可能, and nothing is still 有可能.
  // 行驶公里数 13500 of ≥15000 is red.
  await page.goto(`${url}/projects/${id}/monitoring?as_of=2024-12-31`);
  const rows = await page.locator('table.grid').nth(1).locator('tbody tr').all();
  assert.ok(rows.length > 0);
  for (const r of rows) {
    const cells = await r.locator('td').allInnerTexts();
    const [light, likely] = [cells[8].trim(), cells[10].trim()];
    if (light === '绿' || light === '蓝') assert.notEqual(likely, '完全不可能', cells.join(' | '));
    assert.notEqual(likely, '有可能', `the year is over: ${cells.join(' | ')}`);
  }
  await page.goto(`${url}/projects/${id}/monitoring?as_of=2024-07-31`);
  const heads = await page.locator('table.grid').first().locator('th').allInnerTexts();
  assert.ok(heads.includes('执行进度'), heads.join(','));
  assert.ok(!heads.includes('序时进度'), heads.join(','));
  assert.match(await page.locator('form.filters').innerText(), /序时进度 58\.20%/);
  await shot(page, 'web-monitoring-truth');
  // A declaration with nothing recorded: 无实际值 and a grey light, not "0.00 差" and red.
  await page.goto(`${url}/`);
  const empty = page.locator('table tr', { has: page.locator('a:text-is("减污降碳工作专项经费")') });
  const text = (await empty.first().locator('td').allInnerTexts()).join(' | ');
  assert.match(text, /无实际值/);
  assert.doesNotMatch(text, /0\.00 差/);
  assert.equal(await empty.first().locator('.light-red').count(), 0, text);
  await shot(page, 'web-dashboard-truth');
});

test('a write says what it did; a refused import is refused in the preview', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  const id = await idOf(page, url, '交通工具购置及更新', '上海市减污降碳管理运行技术中心');
  await page.goto(`${url}/projects/${id}/actuals`);
  const enter = async (value) => {
    await page.selectOption('select[name=indicator]', '1.1.1');
    await page.fill('input[name=date]', '2024-08-31');
    await page.fill('input[name=value]', value);
    await Promise.all([page.waitForNavigation(), page.click(`form[action="/projects/${id}/actuals"] button[type=submit]`)]);
    return page.locator('[role=status]').innerText();
  };
  assert.match(await enter('8000公里'), /实际完成值已新增/);
  assert.match(await enter('8000公里'), /实际完成值未变化/);
  assert.match(await enter('8800公里'), /实际完成值已更正，原值 8000公里/);
  await shot(page, 'web-actuals-truth');
  // The admin approves the declaration; the editor previews a changed file.
  const admin = await login(env.browser, url, 'admin', users.admin);
  const status = await admin.evaluate(async (id) => {
    const s = await (await fetch('/api/session')).json();
    const h = { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token };
    const a = await fetch(`/api/projects/${id}/submit`, { method: 'POST', headers: h, body: '{}' });
    const b = await fetch(`/api/projects/${id}/approve`, { method: 'POST', headers: h, body: '{}' });
    return [a.status, b.status];
  }, id);
  assert.deepEqual(status, [200, 200]);
  const seed = readFileSync(join(root, 'tests/data/seed_2024_shanghai.txt'), 'utf8');
  await page.goto(`${url}/upload`);
  await page.setInputFiles('input[type=file]', {
    name: 'changed.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(seed.replace('≥15000.00(公里)', '≥16000.00(公里)')),
  });
  await Promise.all([page.waitForNavigation(), page.click('form.panel button[type=submit]')]);
  assert.match(await page.locator('[data-testid=will-refuse]').innerText(), /已批准，需通过调整修改/);
  assert.match(await page.locator('[data-testid=indicator-changes]').first().innerText(), /行驶公里数：≥15000\.00\(公里\) → ≥16000\.00\(公里\)/);
  assert.equal(await page.locator('form[action="/upload/commit"]').count(), 0);
  await shot(page, 'web-upload-preview-truth');
  await page.goto(`${url}/projects/${id}/history`);
  await shot(page, 'web-history-truth');
});
