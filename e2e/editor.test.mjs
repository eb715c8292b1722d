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
