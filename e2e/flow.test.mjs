// The year in the browser, as its users live it: an editor signs in, uploads the seed form and
// sees its findings before anything is stored, records an actual value (a mistyped one first) and
// sees the progress light and the score move, and reads the audit trail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, login, dashboardRow, root } from './harness.mjs';

const SEED = join(root, 'tests/data/seed_2024_shanghai.txt');
const TRANSPORT = '交通工具购置及更新';

// The server and the browser, started before the first test and stopped after the last.
const env = suite();

test('a wrong password is refused on the login form', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}/login`);
  await page.fill('input[name=username]', 'editor');
  await page.fill('input[name=password]', 'not-the-password');
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type=submit]')]);
  assert.match(page.url(), /\/login/);
  assert.match(await page.content(), /用户名或密码错误|密码/);
  await context.close();
});

test('upload the seed: a preview with its findings, nothing stored until committed', async () => {
  const page = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  const before = await page.evaluate(async () => (await (await fetch('/api/projects')).json()));
  await page.goto(`${env.server.url}/upload`);
  await page.setInputFiles('input[name=file]', SEED);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/upload"] button[type=submit]')]);
  const html = await page.content();
  assert.match(html, /预览/);
  assert.match(html, /减污降碳工作专项经费/);
  assert.match(html, new RegExp(TRANSPORT));
  // The review's findings, with their rule ids, before anything is stored.
  assert.match(html, /measurability\.vague-target/);
  const after = await page.evaluate(async () => (await (await fetch('/api/projects')).json()));
  assert.deepEqual(after, before, 'a preview stores nothing');
  // Committing the same form again changes nothing (the demo holds it already).
  await Promise.all([page.waitForNavigation(), page.click('form[action="/upload/commit"] button[type=submit]')]);
  const again = await page.evaluate(async () => (await (await fetch('/api/projects')).json()));
  assert.equal(JSON.stringify(again.items ?? again), JSON.stringify(before.items ?? before));
  await page.context().close();
});

test('an actual value: a mistyped one is refused beside its field, a right one moves the light and score', async () => {
  const page = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  const row0 = await dashboardRow(page, env.server.url, TRANSPORT);
  assert.ok(row0.length > 8, `the dashboard shows ${TRANSPORT}: ${row0}`);

  await page.getByRole('link', { name: TRANSPORT }).click();
  const id = page.url().match(/\/projects\/(\d+)/)[1];
  await page.goto(`${env.server.url}/projects/${id}/actuals`);
  const indicator = page.locator('form[action$="/actuals"] select[name=indicator]');
  const option = await indicator.locator('option', { hasText: '行驶公里数' }).first().getAttribute('value');
  await indicator.selectOption(option);
  await page.fill('form[action$="/actuals"] input[name=date]', '2024-12-31');
  await page.fill('form[action$="/actuals"] input[name=value]', '15O00公里'); // the letter O
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/actuals"] button[type=submit]')]);
  let html = await page.content();
  const rowAfterTypo = await dashboardRow(page, env.server.url, TRANSPORT);
  // Either refused, or read with a warning that says what was read: never silently a number.
  if (rowAfterTypo.join('|') === row0.join('|')) {
    assert.match(html, /class="[^"]*invalid|field-error/, 'the refusal stands beside the field');
  } else {
    assert.match(html, /15000|15,000/, 'read with a warning quoting what was read');
  }

  await page.goto(`${env.server.url}/projects/${id}/actuals`);
  await indicator.selectOption(option);
  await page.fill('form[action$="/actuals"] input[name=date]', '2024-12-31');
  // 13500 of ≥15000 at year end is red (not met, 完全不可能); 15500 meets the target.
  await page.fill('form[action$="/actuals"] input[name=value]', '15500公里');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/actuals"] button[type=submit]')]);
  const row1 = await dashboardRow(page, env.server.url, TRANSPORT);
  // Columns: year, name, unit, department, funds, indicators, status, grade, light, score, links.
  assert.notEqual(row1[9], row0[9], `the score moves: ${row0[9]} → ${row1[9]}`);
  assert.notEqual(row1[8], row0[8], `the progress light moves: ${row0[8]} → ${row1[8]}`);
  html = await page.content();

  // The audit trail names who recorded what, before and after, field by field.
  await page.goto(`${env.server.url}/projects/${id}/history`);
  const latest = page.locator('[data-testid=audit] > tbody > tr').first();
  // The action in Chinese (the id stays in the hover).
  assert.match(await latest.innerText(), /editor[\s\S]*更正实际完成值[\s\S]*1\.1\.1/);
  assert.equal(await latest.locator('[title=correct_actual]').count(), 1);
  const value = latest.locator('[data-testid=diff] tr.changed', { hasText: '实际完成值' });
  assert.match(await value.locator('td.before').innerText(), /^13500公里$/, 'the value replaced is the before');
  assert.match(await value.locator('td.after').innerText(), /^15500公里$/, 'the new value is the after');
  await page.context().close();
});

test("another unit's declaration is not found for its editor", async () => {
  const page = await login(env.browser, env.server.url, 'editor2', env.server.users.editor2);
  const list = await page.evaluate(async () => (await (await fetch('/api/projects')).json()));
  const items = list.items ?? list.projects ?? list;
  assert.equal(items.length, 0, 'editor2 sees no declaration of the other unit');
  const res = await page.goto(`${env.server.url}/projects/1`);
  assert.equal(res.status(), 404);
  await page.context().close();
});
