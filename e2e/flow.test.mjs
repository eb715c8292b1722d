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
  // Still on the login form, the refusal said in its alert, the user name kept to try again.
  assert.match(page.url(), /\/login/);
  const alert = page.locator('form.login [role=alert]');
  assert.equal(await alert.count(), 1, 'the refusal is shown on the login form');
  assert.match(await alert.innerText(), /用户名或密码错误[\s\S]*wrong user name or password/);
  assert.equal(await page.inputValue('form.login input[name=username]'), 'editor');
  assert.equal(await page.inputValue('form.login input[name=password]'), '', 'the password is not sent back');
  await context.close();
});

test('upload the seed: a preview with its findings, nothing stored until committed', async () => {
  const page = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  const before = await page.evaluate(async () => (await (await fetch('/api/projects')).json()));
  await page.goto(`${env.server.url}/upload`);
  await page.setInputFiles('input[name=file]', SEED);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/upload"] button[type=submit]')]);
  // The preview of the file read (the upload form's button is also 预览: the heading names the
  // file), said to be not yet imported.
  assert.match(await page.locator('main h2').first().innerText(), /^预览：\s*seed_2024_shanghai\.txt/);
  assert.equal(await page.locator('form[action="/upload"]').count(), 0, 'the upload form gave way to the preview');
  assert.equal(await page.locator('.alert-warn', { hasText: '以下内容尚未导入' }).count(), 1);
  // A row per project read, with its review's grade.
  const rows = page.locator('main table.grid').first().locator('tbody tr');
  assert.equal(await rows.count(), 2);
  for (const name of ['减污降碳工作专项经费', TRANSPORT]) {
    const row = rows.filter({ hasText: name });
    assert.equal(await row.count(), 1, `the preview lists ${name}`);
    assert.match(await row.innerText(), /条意见/, `${name} shows its review`);
  }
  // The review's findings, with their rule ids, before anything is stored.
  const findings = page.locator('h3', { hasText: '审核意见' });
  assert.ok((await findings.count()) >= 1, 'the findings are listed');
  assert.ok((await page.locator('main .rule[title="measurability.vague-target"]').count()) >= 1,
    'a vague target is named by its rule');
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

  // The demo holds 2024 and 2025; the first row is 2024's, the one with actuals.
  await page.getByRole('link', { name: TRANSPORT }).first().click();
  const id = page.url().match(/\/projects\/(\d+)/)[1];
  await page.goto(`${env.server.url}/projects/${id}/actuals`);
  const indicator = page.locator('form[action$="/actuals"] select[name=indicator]');
  const option = await indicator.locator('option', { hasText: '行驶公里数' }).first().getAttribute('value');
  await indicator.selectOption(option);
  await page.fill('form[action$="/actuals"] input[name=date]', '2024-12-31');
  await page.fill('form[action$="/actuals"] input[name=value]', '15O00公里'); // the letter O
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/actuals"] button[type=submit]')]);
  // Refused, never silently a number: the form comes back with the value as typed, the value
  // field marked and its error beside it naming the letter and what was meant; the other
  // fields carry no error; the page says nothing was recorded.
  assert.match(page.url(), new RegExp(`/projects/${id}/actuals`));
  const form = page.locator('form[action$="/actuals"]');
  const valueLabel = form.locator('label', { has: page.locator('input[name=value]') });
  assert.match(await valueLabel.getAttribute('class'), /\binvalid\b/, 'the value field is marked');
  assert.match(await valueLabel.locator('.field-error').innerText(), /15O00公里[\s\S]*字母 O[\s\S]*15000公里/,
    'the refusal stands beside the field, naming the letter O and what was meant');
  assert.equal(await form.locator('input[name=value]').inputValue(), '15O00公里', 'the value typed is kept to correct');
  for (const other of ['indicator', 'date', 'period']) {
    const label = form.locator('label', { has: page.locator(`[name=${other}]`) });
    assert.equal((await label.locator('.field-error').innerText()).trim(), '', `no error beside ${other}`);
  }
  assert.match(await page.locator('[role=alert]').first().innerText(), /未录入任何数据/);
  const rowAfterTypo = await dashboardRow(page, env.server.url, TRANSPORT);
  assert.deepEqual(rowAfterTypo, row0, 'the refused value changed nothing');

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
