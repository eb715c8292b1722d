// The approval workflow in the browser, as its users live it: an editor creates a declaration
// from scratch in the editor (a mistyped target first, flagged beside its field with why it
// cannot be read), saves and submits it; the reviewer returns it with a comment; the editor reads
// the comment, edits and resubmits; the reviewer approves; the declaration is locked; the history
// page shows each status change with who made it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, login } from './harness.mjs';

// E2E_SHOTS=/some/dir keeps a full-page screenshot of each step (to look at; not asserted).
const SHOTS = process.env.E2E_SHOTS;
async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const NAME = '新能源公务车辆更新';

// The server and the browser, started before the first test and stopped after the last.
const env = suite();

/** Clicks a button that posts its form and waits for the page that answers. */
async function post(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** The workflow status the declaration page shows (`draft`, `submitted` …). */
async function status(page) {
  return page.locator('[data-testid=workflow]').getAttribute('data-status');
}

/** What the page refuses, if anything (shown to the user in `[data-testid=refusal]`). */
async function refusal(page) {
  const r = page.locator('[data-testid=refusal]');
  return (await r.count()) ? r.innerText() : '';
}

/** Fills indicator row `k` (the row exists). */
async function indicator(page, k, level2, name, target) {
  await page.selectOption(`#ind_level2_${k}`, level2);
  await page.fill(`#ind_name_${k}`, name);
  await page.fill(`#ind_target_${k}`, target);
}

test('create, submit, return with a comment, resubmit, approve: locked, and the history says who', async () => {
  // 填报人: a new declaration from the navigation bar.
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  await post(editor, '#nav-new');
  assert.match(editor.url(), /\/projects\/new$/);
  await editor.fill('#name', NAME);
  await editor.fill('#year', '2024');
  // The unit and department are the editor's own (filled in already).
  assert.equal(await editor.inputValue('#unit'), '上海市减污降碳管理运行技术中心');
  await editor.fill('#start', '2024-01-01');
  await editor.fill('#end', '2024-12-31');
  await editor.fill('#funds_total', '360,000.00');
  await editor.fill('#funds_fiscal', '360,000.00');
  await editor.fill('#overall_goal', '完成公务车辆新能源替换，降低公务出行碳排放');
  await editor.fill('#annual_goal', '年内完成 3 辆新能源公务车辆采购并投入使用');

  // A mistyped target: the page says why it cannot be read, beside the field, as it is typed.
  await indicator(editor, 0, 'quantity', '购置新能源车辆数', '≥1,00,0(辆)');
  await editor.locator('#target_error_0').filter({ hasText: /\S/ }).waitFor();
  const why = await editor.innerText('#target_error_0');
  assert.ok(why.length > 4, `the reason is shown: ${why}`);
  assert.equal(await editor.innerText('#reading_0'), '', 'nothing is claimed as read');
  await shot(editor, 'wf-1-editor-mistyped');
  // A save is refused, nothing stored, the input kept, the reason beside the field.
  await post(editor, '[data-testid=save]');
  assert.match(editor.url(), /\/projects\/new$/);
  assert.match(await refusal(editor), /未保存/);
  assert.equal(await editor.inputValue('#ind_target_0'), '≥1,00,0(辆)');
  assert.match(await editor.innerText('#target_error_0'), /\S/);
  await shot(editor, 'wf-2-editor-save-refused');

  // Corrected: read as written.
  await editor.fill('#ind_target_0', '≥3(辆)');
  await editor.locator('#reading_0').filter({ hasText: /读作/ }).waitFor();
  assert.equal(await editor.innerText('#target_error_0'), '');

  // The rest of the tree, so that the review has no error-level finding (产出 数量/质量/时效,
  // 成本, 效益, 满意度).
  const rows = [
    ['quality', '车辆验收合格率', '100%'],
    ['timeliness', '采购完成时间', '2024年10月31日前'],
    ['economic_cost', '单车购置成本', '≤120000元'],
    ['social_benefit', '公务出行保障率', '≥95%'],
    ['ecological_benefit', '年减少二氧化碳排放', '≥10吨'],
    ['service_satisfaction', '使用人员满意度', '≥90%'],
  ];
  for (const [k, [level2, name, target]] of rows.entries()) {
    await post(editor, '[data-testid=add-indicator]');
    await indicator(editor, k + 1, level2, name, target);
  }
  await post(editor, '[data-testid=check]');
  assert.match(await editor.innerText('[data-testid=checked]'), /已检查/);
  const errors = await editor.locator('.field-error').allInnerTexts();
  assert.deepEqual(errors.filter((t) => t.trim() !== ''), [], 'every field reads');
  await shot(editor, 'wf-3-editor-checked');

  await post(editor, '[data-testid=save]');
  const m = editor.url().match(/\/projects\/(\d+)\?done=created/);
  assert.ok(m, `saved: ${editor.url()} ${await refusal(editor)}`);
  const id = m[1];
  assert.equal(await status(editor), 'draft');
  await shot(editor, 'wf-4-draft');

  // 提交.
  await post(editor, '#submit-form button[type=submit]');
  assert.equal(await refusal(editor), '', 'the submit is not refused');
  assert.equal(await status(editor), 'submitted');
  assert.equal(await editor.locator('[data-testid=edit]').count(), 0, 'a submitted declaration is not editable');
  await shot(editor, 'wf-5-submitted');

  // 审核人: the review workspace lists it; 退回 with a comment.
  const reviewer = await login(env.browser, env.server.url, 'reviewer', env.server.users.reviewer);
  await reviewer.goto(`${env.server.url}/review`);
  const row = reviewer.locator(`[data-testid=review-${id}]`);
  assert.match(await row.innerText(), new RegExp(NAME));
  await shot(reviewer, 'wf-6-review');
  await Promise.all([reviewer.waitForNavigation(), row.locator(`[data-testid=open-${id}]`).click()]);
  assert.equal(await status(reviewer), 'submitted');
  // A return without a comment is refused, nothing changed.
  await post(reviewer, '#return-form button[type=submit]');
  assert.match(await refusal(reviewer), /意见/);
  await shot(reviewer, 'wf-7-return-refused');
  assert.equal(await status(reviewer), 'submitted');
  const COMMENT = '单车购置成本偏高，请按政府采购目录核实';
  await reviewer.fill('#return-form #return-comment', COMMENT);
  await post(reviewer, '#return-form button[type=submit]');
  assert.equal(await status(reviewer), 'returned');

  // 填报人 sees the comment, edits and resubmits.
  await editor.goto(`${env.server.url}/projects/${id}`);
  assert.equal(await status(editor), 'returned');
  const comments = await editor.innerText('[data-testid=comments]');
  assert.match(comments, new RegExp(COMMENT));
  assert.match(comments, /reviewer/);
  await shot(editor, 'wf-8-returned');
  await post(editor, '[data-testid=edit]');
  const cost = await editor.locator('input[name^=ind_name_][value=单车购置成本]').getAttribute('name');
  const k = cost.replace('ind_name_', '');
  await editor.fill(`#ind_target_${k}`, '≤100000元');
  await editor.locator(`#reading_${k}`).filter({ hasText: /100000/ }).waitFor();
  await post(editor, '[data-testid=save]');
  assert.match(editor.url(), new RegExp(`/projects/${id}\\?done=saved`), await refusal(editor));
  await post(editor, '#submit-form button[type=submit]');
  assert.equal(await refusal(editor), '');
  assert.equal(await status(editor), 'submitted');

  // 审核人 approves.
  await reviewer.goto(`${env.server.url}/projects/${id}`);
  assert.equal(await status(reviewer), 'submitted');
  await post(reviewer, '#approve-form button[type=submit]');
  assert.equal(await status(reviewer), 'approved');
  await shot(reviewer, 'wf-9-approved');

  // Locked: no edit link; the editor page refuses a change.
  await editor.goto(`${env.server.url}/projects/${id}`);
  assert.equal(await status(editor), 'approved');
  assert.equal(await editor.locator('[data-testid=edit]').count(), 0);
  assert.equal(await editor.locator('#submit-form').count(), 0);

  // The history: each status change with who made it, in order.
  await editor.goto(`${env.server.url}/projects/${id}/history`);
  const trail = await editor.locator('[data-testid=audit] > tbody > tr').allInnerTexts();
  await shot(editor, 'wf-10-history');
  const moves = trail
    .map((t) => t.replace(/\s+/g, ' '))
    .filter((t) => /提交|退回|批准|submitted|returned|approved/.test(t));
  const who = (re) => moves.filter((t) => re.test(t));
  assert.equal(who(/editor.*(已提交|submitted)/).length, 2, `two submits by editor:\n${moves.join('\n')}`);
  assert.equal(who(/reviewer.*(退回|returned)/).length, 1, `a return by reviewer:\n${moves.join('\n')}`);
  assert.equal(who(/reviewer.*(已批准|approved)/).length, 1, `an approval by reviewer:\n${moves.join('\n')}`);
  await editor.context().close();
  await reviewer.context().close();
});

test('a draft whose review has errors: the submit is refused, saying which findings and why', async () => {
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  await editor.goto(`${env.server.url}/projects/new`);
  await editor.fill('#name', '仅有一个指标的草稿');
  await editor.fill('#year', '2024');
  await editor.fill('#start', '2024-01-01');
  await editor.fill('#end', '2024-12-31');
  await editor.fill('#funds_total', '10,000.00');
  await editor.fill('#funds_fiscal', '10,000.00');
  await indicator(editor, 0, 'quantity', '培训人次', '≥100人次');
  await post(editor, '[data-testid=save]');
  assert.match(editor.url(), /\?done=created/, await refusal(editor));
  await post(editor, '#submit-form button[type=submit]');
  await shot(editor, 'wf-11-submit-refused');
  assert.equal(await status(editor), 'draft', 'nothing changed');
  const why = await refusal(editor);
  assert.match(why, /不能提交|修改后再提交|错误/, why);
  // Each error finding is named, in the user's language, with its rule.
  assert.match(why, /未设置效益指标/, why);
  assert.match(why, /未设置满意度指标/, why);
  // The way on: the edit link is still there.
  assert.equal(await editor.locator('[data-testid=edit]').count(), 1);
  await editor.context().close();
});
