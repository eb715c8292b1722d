// Issue 17 item 11 in a real browser: an empty target is flagged while it is typed, with a
// reason that says it is empty (not "指标值「」无法识别（第 1 个字符）").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, login } from './harness.mjs';

const env = suite();

async function post(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

test('an emptied target is flagged as empty while typing', async () => {
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  await post(editor, '#nav-new');
  await editor.selectOption('#ind_level2_0', 'quantity');
  await editor.fill('#ind_name_0', '购置新能源车辆数');
  await editor.fill('#ind_target_0', '≥3(辆)');
  await editor.locator('#reading_0').filter({ hasText: /读作/ }).waitFor();
  // Emptied: flagged beside the field, as empty, and nothing claimed as read.
  await editor.fill('#ind_target_0', '');
  await editor.locator('#target_error_0').filter({ hasText: /\S/ }).waitFor();
  const why = await editor.innerText('#target_error_0');
  assert.match(why, /指标值为空/);
  assert.doesNotMatch(why, /无法识别/);
  assert.equal(await editor.innerText('#reading_0'), '');
});

// Issue 17 item 11: a new indicator row gets its own code and group at once, as the server
// numbers it — not the code of an earlier row (two new empty rows were both 1.1.1) nor the code
// and heading of the category it had before one was chosen.
test('a new indicator row has its own code and group before the page is reloaded', async () => {
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  await post(editor, '#nav-new');
  const codes = () => editor.locator('[data-testid=indicators] tr[data-testid^=ind-row-] td:first-child code').allInnerTexts();
  const groups = () => editor.locator('[data-testid=indicators] tr.sub').allInnerTexts();
  await post(editor, '#add-indicator');
  await post(editor, '#add-indicator');
  assert.deepEqual(await codes(), ['1.1.1', '1.1.2', '1.1.3']);
  // The third row becomes a 满意度 indicator: its code and heading follow while the page stays.
  await editor.selectOption('#ind_level2_2', 'service_satisfaction');
  assert.deepEqual(await codes(), ['1.1.1', '1.1.2', '4.1.1']);
  assert.deepEqual(await groups(), ['产出指标 / 数量指标', '满意度指标 / 服务对象满意度指标']);
  await editor.selectOption('#ind_level2_1', 'quality');
  assert.deepEqual(await codes(), ['1.1.1', '1.2.1', '4.1.1']);
  assert.deepEqual(await groups(), ['产出指标 / 数量指标', '产出指标 / 质量指标', '满意度指标 / 服务对象满意度指标']);
  // The server numbers them the same on 检查.
  await post(editor, '#check');
  assert.deepEqual(await codes(), ['1.1.1', '1.2.1', '4.1.1']);
  assert.deepEqual(await groups(), ['产出指标 / 数量指标', '产出指标 / 质量指标', '满意度指标 / 服务对象满意度指标']);
  await editor.context().close();
});
