// 整改 and 待办 in the browser (issue 20 items 6 and 10): the reviewer opens a rectification
// from a review finding on the declaration's page (the button beside the finding); the unit's
// editor sees it waiting at the top of its start page and on the list (整改), writes the measure
// and the evidence (整改中); the reviewer verifies and completes it (已完成). Then the start page:
// a declaration returned to the editor shows at the top with the reviewer's comment; a red light
// of monitoring and a deduction of the self-evaluation become rectifications too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite, login } from './harness.mjs';

// E2E_SHOTS=/some/dir keeps a full-page screenshot of each step (to look at; not asserted).
const SHOTS = process.env.E2E_SHOTS;
async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const NAME = '交通工具购置及更新';

const env = suite();

/** Clicks a button that posts its form and waits for the page that answers. */
async function post(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function refusal(page) {
  const r = page.locator('[data-testid=refusal]');
  return (await r.count()) ? r.innerText() : '';
}

/** The declaration page of the demo's first 交通工具购置及更新. */
async function openDeclaration(page) {
  await page.goto(`${env.server.url}/`);
  await Promise.all([page.waitForNavigation(), page.locator(`table.grid a:text-is("${NAME}")`).first().click()]);
  const m = page.url().match(/\/projects\/(\d+)$/);
  assert.ok(m, page.url());
  return m[1];
}

test('open from a review finding, the unit rectifies, the reviewer completes it', async () => {
  const url = env.server.url;
  const reviewer = await login(env.browser, url, 'reviewer', env.server.users.reviewer);
  const id = await openDeclaration(reviewer);
  // Beside the first finding: 要求整改, a deadline offered, a request written.
  await reviewer.click('[data-testid=open-rect-1]');
  const form = reviewer.locator('[data-testid=open-rect-form-1]');
  assert.match(await form.locator('input[name=deadline]').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
  await form.locator('textarea[name=measure]').fill('补充指标值的测算依据');
  await shot(reviewer, 'rect-1-open-form');
  await post(reviewer, '[data-testid=open-rect-1-submit]');
  assert.equal(await refusal(reviewer), '', 'opening is not refused');
  assert.match(reviewer.url(), new RegExp(`/rectifications\\?declaration=${id}&done=opened`));
  const row = reviewer.locator('[data-testid=rectifications] tbody tr').first();
  const rid = (await row.getAttribute('id')).replace('r', '');
  assert.equal(await row.getAttribute('data-status'), 'open');
  assert.match(await reviewer.innerText(`[data-testid=status-${rid}]`), /待整改/);
  // The editor's controls are not the reviewer's; nothing to verify before the evidence.
  assert.equal(await reviewer.locator(`[data-testid=rectify-form-${rid}]`).count(), 0);
  assert.equal(await reviewer.locator(`[data-testid=complete-${rid}]`).count(), 0);
  assert.match(await reviewer.innerText(`[data-testid=awaiting-${rid}]`), /待单位填写/);
  await shot(reviewer, 'rect-2-opened');
  // Back on the declaration: the finding shows its rectification instead of the button.
  await reviewer.goto(`${url}/projects/${id}`);
  assert.match(await reviewer.innerText('[data-testid=rect-of-1]'), /待整改/);
  assert.equal(await reviewer.locator('[data-testid=open-rect-form-1]').count(), 0);

  // 填报人: waiting at the top of the start page, then on the list.
  const editor = await login(env.browser, url, 'editor', env.server.users.editor);
  const todo = await editor.innerText('[data-testid=todo-rectifications]');
  assert.match(todo, new RegExp(NAME));
  assert.match(todo, /待整改/);
  await editor.goto(`${url}/rectifications`);
  assert.equal(await editor.locator(`[data-testid=complete-${rid}]`).count(), 0, 'the unit does not verify');
  await editor.fill(`[data-testid=measure-input-${rid}]`, '已补充测算依据，按上年实际行驶里程修正指标值');
  await editor.fill(`[data-testid=evidence-input-${rid}]`, '测算说明（2024-07-10）.pdf');
  await shot(editor, 'rect-3-editor-form');
  await post(editor, `[data-testid=rectify-${rid}]`);
  assert.equal(await refusal(editor), '');
  assert.equal(await editor.locator(`#r${rid}`).getAttribute('data-status'), 'in_progress');
  assert.match(await editor.innerText(`[data-testid=evidence-${rid}]`), /测算说明/);
  await shot(editor, 'rect-4-in-progress');

  // The summary's roll-up by unit counts what is not completed (and overdue) of the year's
  // declarations: the declaration's year (2024), not the latest the page opens on.
  await reviewer.goto(`${url}/summary?year=2024`);
  assert.match(await reviewer.innerText('table.grid thead'), /未完成整改/);
  assert.equal((await reviewer.locator('[data-testid=rect-open]').allInnerTexts()).join(','), '1');
  await shot(reviewer, 'rect-7-summary');

  // 审核人 verifies: 已完成, and who did it.
  await reviewer.goto(`${url}/rectifications`);
  await post(reviewer, `[data-testid=complete-${rid}]`);
  assert.equal(await refusal(reviewer), '');
  assert.equal(await reviewer.locator(`#r${rid}`).getAttribute('data-status'), 'done');
  assert.match(await reviewer.innerText(`#r${rid}`), /已完成/);
  assert.match(await reviewer.innerText(`#r${rid}`), /reviewer/);
  await shot(reviewer, 'rect-5-done');
  // In English through the language switch.
  await reviewer.click('header .who a');
  await reviewer.waitForLoadState();
  assert.match(await reviewer.innerText('h1'), /Rectification/);
  assert.match(await reviewer.innerText(`#r${rid}`), /done/);
  await shot(reviewer, 'rect-6-english');
  // Each step in the declaration's history, with who.
  await editor.goto(`${url}/projects/${id}/history`);
  const trail = (await editor.locator('[data-testid=audit] > tbody > tr').allInnerTexts()).join('\n');
  assert.match(trail, /建立整改事项/);
  assert.match(trail, /整改验收完成/);
  await editor.context().close();
  await reviewer.context().close();
});

test('a declaration returned to the editor waits at the top of its start page, with the comment', async () => {
  const url = env.server.url;
  const COMMENT = '行驶公里数请说明测算依据';
  const editor = await login(env.browser, url, 'editor', env.server.users.editor);
  const id = await openDeclaration(editor);
  await post(editor, '#submit-form button[type=submit]');
  assert.equal(await refusal(editor), '', 'the submit is not refused');
  const reviewer = await login(env.browser, url, 'reviewer', env.server.users.reviewer);
  // The reviewer's start page: it waits for review.
  assert.match(await reviewer.innerText('[data-testid=todo-review]'), new RegExp(NAME));
  await reviewer.goto(`${url}/projects/${id}`);
  await reviewer.fill('#return-form #return-comment', COMMENT);
  await post(reviewer, '#return-form button[type=submit]');
  assert.equal(await refusal(reviewer), '');

  await editor.goto(`${url}/`);
  // First on the page: what waits, the returned declaration with the comment.
  const first = editor.locator('main > *').first();
  assert.equal(await first.getAttribute('data-testid'), 'todo');
  const returned = await editor.innerText('[data-testid=todo-returned]');
  assert.match(returned, new RegExp(NAME));
  assert.match(await editor.innerText('[data-testid=todo-comment]'), new RegExp(COMMENT));
  assert.match(returned, /reviewer/);
  await shot(editor, 'todo-1-editor');
  await editor.context().close();
  await reviewer.context().close();
});

test('a red light on the monitoring page becomes a rectification', async () => {
  const url = env.server.url;
  const reviewer = await login(env.browser, url, 'reviewer', env.server.users.reviewer);
  await reviewer.goto(`${url}/`);
  const other = '减污降碳工作专项经费';
  await Promise.all([reviewer.waitForNavigation(), reviewer.locator(`table.grid a:text-is("${other}")`).first().click()]);
  const id = reviewer.url().match(/\/projects\/(\d+)$/)[1];
  // Nothing spent all year: the budget's light is red, with the button beside it.
  await reviewer.goto(`${url}/projects/${id}/monitoring`);
  await reviewer.click('[data-testid=open-rect-budget]');
  await shot(reviewer, 'rect-8-monitoring');
  await post(reviewer, '[data-testid=open-rect-budget-submit]');
  assert.equal(await refusal(reviewer), '', 'opening is not refused');
  const row = reviewer.locator('[data-testid=rectifications] tbody tr').first();
  assert.match(await row.innerText(), /监控预警/);
  assert.match(await row.innerText(), /预算执行为红灯/);
  // A past date's monitoring offers no button (the light is checked as of today).
  await reviewer.goto(`${url}/projects/${id}/monitoring?as_of=2024-03-31`);
  assert.equal(await reviewer.locator('[data-testid=open-rect-budget]').count(), 0);
  await reviewer.context().close();
});

test('an indicator that lost points on the self-evaluation page becomes a rectification', async () => {
  const url = env.server.url;
  const reviewer = await login(env.browser, url, 'reviewer', env.server.users.reviewer);
  const id = await openDeclaration(reviewer);
  await reviewer.goto(`${url}/projects/${id}/evaluation`);
  // The button sits beside an indicator scored below its 分值 (得分 < 分值), and only there.
  const rows = reviewer.locator('[data-testid=eval-indicators] tbody tr');
  const n = await rows.count();
  let code = null;
  for (let k = 0; k < n; k++) {
    const cells = await rows.nth(k).locator('td').allInnerTexts();
    const buttons = await rows.nth(k).locator('summary[data-testid^=open-rect-]').count();
    // 编码 | 一级 | 二级 | 三级 | 指标值 | 实际 | 分值 | 得分 | … (no adjustment in the demo)
    const [weight, score] = [Number(cells[6]), Number(cells[7])];
    assert.equal(buttons, score < weight ? 1 : 0, `row ${cells[0]}: ${weight} / ${score}`);
    if (buttons && !code) code = cells[0].trim();
  }
  assert.ok(code, 'an indicator of the demo lost points');
  await reviewer.click(`[data-testid="open-rect-${code}"]`);
  const form = reviewer.locator(`[data-testid="open-rect-form-${code}"]`);
  assert.equal(await form.locator('input[name=source]').inputValue(), 'self_evaluation');
  assert.equal(await form.locator('input[name=rule]').inputValue(), 'indicator_deduction');
  assert.equal(await form.locator('input[name=code]').inputValue(), code);
  assert.match(await form.locator('input[name=deadline]').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
  await form.locator('textarea[name=measure]').fill('说明未达成原因并提出改进措施');
  await shot(reviewer, 'rect-9-self-evaluation');
  await post(reviewer, `[data-testid="open-rect-${code}-submit"]`);
  assert.equal(await refusal(reviewer), '', 'opening is not refused');
  assert.match(reviewer.url(), new RegExp(`/rectifications\\?declaration=${id}&done=opened`));
  // In the list: from the self-evaluation, about that indicator, what was lost, 待整改.
  const row = reviewer.locator('[data-testid=rectifications] tbody tr', { hasText: '自评扣分' }).first();
  const text = await row.innerText();
  assert.match(text, /自评问题/);
  assert.match(text, new RegExp(`自评扣分：指标 ${code.replace(/\./g, '\\.')}`));
  assert.equal(await row.getAttribute('data-status'), 'open');
  await shot(reviewer, 'rect-10-self-evaluation-listed');
  // Back on the self-evaluation page: its status instead of the button.
  await reviewer.goto(`${url}/projects/${id}/evaluation`);
  assert.match(await reviewer.innerText(`[data-testid="rect-of-${code}"]`), /待整改/);
  assert.equal(await reviewer.locator(`[data-testid="open-rect-form-${code}"]`).count(), 0);
  // The unit's editor sees the page without the buttons (it does not open rectifications).
  const editor = await login(env.browser, url, 'editor', env.server.users.editor);
  await editor.goto(`${url}/projects/${id}/evaluation`);
  assert.equal(await editor.locator('summary[data-testid^=open-rect-]').count(), 0);
  await editor.context().close();
  await reviewer.context().close();
});
