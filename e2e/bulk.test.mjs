// Bulk entry in the browser (issue 19 item 8): a spending file and an actuals file through the same
// upload as declarations, told by their header row, previewed row by row (new / corrected /
// unchanged, or refused at its cell) before anything is stored; and a block pasted from Excel or WPS
// on the actuals page, through the same preview. With JIXIAO_SCREENSHOTS=<dir> each preview is
// saved as PNG (docs/screenshots/web-bulk-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, login } from './harness.mjs';

const env = suite();
const shots = process.env.JIXIAO_SCREENSHOTS;
const TRANSPORT = '交通工具购置及更新';
const dir = mkdtempSync(join(tmpdir(), 'jixiao-bulk-'));

async function shot(page, name) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function actualsPage(page) {
  await page.goto(`${env.server.url}/`);
  await page.getByRole('link', { name: TRANSPORT }).first().click();
  const id = page.url().match(/\/projects\/(\d+)/)[1];
  await page.goto(`${env.server.url}/projects/${id}/actuals`);
  return id;
}

/// How many times `text` appears on the actuals page.
async function countOnActuals(page, id, text) {
  await page.goto(`${env.server.url}/projects/${id}/actuals`);
  return (await page.content()).split(text).length - 1;
}

// The entry form's columns in order, no header row, as Excel copies them (tab-separated).
async function pasteSpending(page) {
  await page.fill('[data-testid=paste-spending] textarea[name=paste]', '2024-12-04\t6,100.00\t\t\n2024-12-04\t6,100.00\t\t\n');
  await Promise.all([page.waitForNavigation(), page.click('[data-testid=paste-spending] button[type=submit]')]);
}

async function preview(page, file) {
  await page.goto(`${env.server.url}/upload`);
  await page.setInputFiles('input[name=file]', file);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/upload"] button[type=submit]')]);
  return page.content();
}

test('a spending file: two same-day payments without 凭证号 are two new records, stored only on 确认导入', async () => {
  const page = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  const id = await actualsPage(page);
  const before = await countOnActuals(page, id, '8,123.00');
  const file = join(dir, '支出台账.csv');
  writeFileSync(file, `项目名称,年度,支付日期,金额,凭证号,说明\n${TRANSPORT},2024,2024-12-03,8123.00,,\n${TRANSPORT},2024,2024-12-03,8123.00,,\n`);
  const html = await preview(page, file);
  assert.match(html, /支出记录（执行数）/);
  assert.match(html, /新增 2，更正 0，未变化 0/);
  assert.equal(await page.locator('[data-testid=bulk-rows] tr[data-outcome=added]').count(), 2);
  assert.match(html, /支出台账\.csv:3/);
  await shot(page, 'web-bulk-spending-preview');
  assert.equal(await countOnActuals(page, id, '8,123.00'), before, 'a preview stores nothing');
  assert.match(await preview(page, file), /新增 2/);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/upload/commit"] button[type=submit]')]);
  assert.match(await page.content(), /已导入/);
  assert.equal(await countOnActuals(page, id, '8,123.00'), before + 2, 'two records, never merged');
  await page.context().close();
});

test('a ledger naming a project of two years without 年度 is refused naming both years, nothing stored', async () => {
  const page = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  const id = await actualsPage(page);
  const before = await countOnActuals(page, id, '7,321.00');
  const file = join(dir, '无年度台账.csv');
  writeFileSync(file, `项目名称,支付日期,金额\n${TRANSPORT},2024-12-05,7321.00\n`);
  const html = await preview(page, file);
  assert.match(html, /有多个名为「交通工具购置及更新」的项目（2024、2025 年度）：请加「年度」列写明是哪一年的/);
  assert.match(html, /无年度台账\.csv:2/);
  assert.equal(await page.locator('form[action="/upload/commit"]').count(), 0, 'no 确认导入 for a refused file');
  assert.equal(await countOnActuals(page, id, '7,321.00'), before);
  await page.context().close();
});

test('an actuals file with one mistyped value is refused at its cell, and nothing is stored', async () => {
  const page = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  const id = await actualsPage(page);
  const before = await countOnActuals(page, id, '16,100公里');
  const file = join(dir, '实际完成值.csv');
  writeFileSync(file, `project,year,indicator,date,value\n${TRANSPORT},2024,行驶公里数,2024-12-31,16100公里\n${TRANSPORT},2024,接送准点率,2024-12-31,9O%\n`);
  const html = await preview(page, file);
  assert.match(html, /实际完成值\.csv/);
  assert.match(html, /实际完成值\.csv:3（value）/);
  assert.match(html, /9O%/);
  assert.equal(await page.locator('form[action="/upload/commit"]').count(), 0, 'no 确认导入 for a refused file');
  await shot(page, 'web-bulk-actuals-refused');
  assert.equal(await countOnActuals(page, id, '16,100公里'), before);
  await page.context().close();
});

test('a block pasted from Excel on the actuals page: previewed per row, then imported', async () => {
  const page = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  const id = await actualsPage(page);
  const before = await countOnActuals(page, id, '6,100.00');
  await pasteSpending(page);
  const html = await page.content();
  assert.match(html, /粘贴\.tsv/);
  assert.match(html, /新增 2，更正 0，未变化 0/);
  await shot(page, 'web-bulk-paste-preview');
  assert.equal(await countOnActuals(page, id, '6,100.00'), before, 'a preview stores nothing');
  await pasteSpending(page);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/upload/commit"] button[type=submit]')]);
  assert.match(await page.content(), /已导入/);
  assert.equal(await countOnActuals(page, id, '6,100.00'), before + 2);
  await page.context().close();
});
