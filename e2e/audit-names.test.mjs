// Issue 17 item 6 in a real browser: the history names an actual value's indicator by its code
// and name as they are now. An indicator inserted above 行驶公里数 makes it 1.1.2; the rows that
// recorded its values must not still say "指标 1.1.1" (which is now another indicator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, login } from './harness.mjs';

const env = suite();

async function post(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

test('after an indicator is inserted above it, the history names 行驶公里数 by its new code', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  await page.goto(`${url}/`);
  const href = await page.locator('table tr a:text-is("交通工具购置及更新")').first().getAttribute('href');
  const id = href.split('/').pop();
  await page.goto(`${url}/projects/${id}/edit`);
  const n = await page.locator('[data-testid=indicators] tr[data-testid^=ind-row-]').count();
  await post(page, '#add-indicator');
  await page.selectOption(`#ind_level2_${n}`, 'quantity');
  await page.fill(`#ind_name_${n}`, '购置车辆数');
  await page.fill(`#ind_target_${n}`, '≥2(辆)');
  for (let k = n; k > 0; k--) await post(page, `[data-testid=up-${k}]`);
  assert.equal(await page.inputValue('#ind_name_0'), '购置车辆数');
  await post(page, '#save');
  assert.match(page.url(), /done=saved/);
  await page.goto(`${url}/projects/${id}/history`);
  const rows = page.locator('[data-testid=audit] > tbody > tr', { hasText: '行驶公里数' });
  const summaries = [];
  for (const r of await rows.all()) summaries.push(await r.locator(':scope > td').nth(3).innerText());
  const values = summaries.filter((s) => /实际完成值/.test(s));
  assert.ok(values.length >= 5, summaries.join('\n'));
  for (const s of values) {
    assert.match(s, /1\.1\.2 行驶公里数/, s);
    assert.doesNotMatch(s, /1\.1\.1 行驶公里数/, s);
  }
  await page.context().close();
});
