// Issue 20 item 8 in a real browser: a unit's clerk declares its department-wide targets
// (部门整体支出绩效目标申报表) in the same editor — functions, 支出构成, main tasks with their
// budgets, core indicators — is told where the money does not add up, saves, and an edit keeps
// every department part (nothing dropped by a save).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, login } from './harness.mjs';

const env = suite();
const shots = process.env.JIXIAO_SCREENSHOTS;

async function shot(page, name) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function op(page, value) {
  await Promise.all([page.waitForNavigation(), page.click(`button[name=op][value=${value}]`)]);
}

test('a department-wide declaration is written, checked, saved and edited in the browser', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  await page.goto(url);
  await Promise.all([page.waitForNavigation(), page.click('#nav-new-department')]);
  assert.match(page.url(), /\/projects\/new\?kind=department$/);
  assert.match(await page.locator('h1').innerText(), /新建部门整体支出绩效目标申报/);
  assert.equal(await page.inputValue('#name'), '部门整体支出');
  // A year no demo declaration of the unit has, so that the name is free.
  await page.fill('#year', '2027');
  await page.fill('#start', '2027-01-01');
  await page.fill('#end', '2027-12-31');
  await page.fill('#funds_total', '1,000,000.00');
  await page.fill('#funds_fiscal', '1,000,000.00');
  await page.fill('#spending_basic', '600,000.00');
  await page.fill('#spending_project', '400,000.00');
  await page.fill('#functions', '负责本市减污降碳的技术支撑与管理运行。');
  await page.fill('#annual_goal', '目标1：完成年度监测与评估任务。');
  await page.fill('input[name=task_title_0]', '监测评估');
  await page.fill('input[name=task_desc_0]', '开展年度监测与评估');
  // The task's budget does not cover the year's money: said at check, nothing saved.
  await page.fill('input[name=task_ftotal_0]', '900,000.00');
  await page.fill('input[name=task_ffiscal_0]', '900,000.00');
  await page.fill('input[name=task_fother_0]', '0.00');
  await page.fill('#ind_name_0', '监测报告数量');
  await page.fill('#ind_target_0', '≥12(份)');
  await page.check('[data-testid=core-0]');
  await page.check('input[name=ind_tasks_0][value="1"]');
  await op(page, 'check');
  const findings = await page.locator('[data-testid=funds-findings]').innerText();
  assert.match(findings, /各项任务预算金额之和 900,000\.00 元不等于年度资金总额 1,000,000\.00 元/);
  await shot(page, 'web-department-check');

  await page.fill('input[name=task_ftotal_0]', '1,000,000.00');
  await page.fill('input[name=task_ffiscal_0]', '1,000,000.00');
  await op(page, 'check');
  assert.equal(await page.locator('[data-testid=funds-findings]').count(), 0);
  await op(page, 'save');
  const created = page.url().match(/\/projects\/(\d+)\?done=created/);
  assert.ok(created, `created: ${page.url()}`);
  const id = created[1];
  assert.equal(await page.locator('[data-testid=department-wide]').count(), 1);
  assert.match(await page.locator('[data-testid=functions]').innerText(), /减污降碳的技术支撑/);
  assert.equal(await page.locator('[data-testid=spending-basic]').innerText(), '600,000.00 元');
  assert.equal(await page.locator('[data-testid=task-budget-1]').innerText(), '1,000,000.00 元');
  assert.equal(await page.locator('[data-testid=tasks-total]').innerText(), '1,000,000.00 元');
  assert.equal(await page.locator('[data-testid="core-1.1.1"]').count(), 1);
  await shot(page, 'web-department-overview');
  // Monitored and self-evaluated by the same engine: the pages answer for it.
  for (const tab of ['monitoring', 'evaluation']) {
    const r = await page.goto(`${url}/projects/${id}/${tab}`);
    assert.equal(r.status(), 200, tab);
    assert.match(await page.locator('h1').innerText(), /部门整体支出/);
    await shot(page, `web-department-${tab}`);
  }

  // An edit keeps the kind and every department part: a form that claims to be a project's
  // changes nothing of that.
  await page.goto(`${url}/projects/${id}/edit`);
  assert.equal(await page.locator('[data-testid=department-wide]').count(), 1);
  assert.equal(await page.inputValue('input[name=task_ftotal_0]'), '1,000,000.00');
  assert.ok(await page.isChecked('[data-testid=core-0]'));
  await page.evaluate(() => {
    const kind = document.querySelector('input[name=kind]');
    if (kind) kind.value = 'project';
  });
  await page.fill('#ind_target_0', '≥14(份)');
  await op(page, 'save');
  assert.match(page.url(), new RegExp(`/projects/${id}\\?done=saved`));
  const res = await page.request.get(`${url}/api/projects/${id}`);
  assert.equal(res.status(), 200);
  const saved = await res.json();
  const p = saved.projects ? saved.projects[0] : saved;
  assert.deepEqual(p.department_targets, {
    functions: '负责本市减污降碳的技术支撑与管理运行。',
    spending: { basic: '600000.00', project: '400000.00' },
  });
  assert.deepEqual(p.tasks[0].funds, { total: '1000000.00', fiscal: '1000000.00', other: '0.00' });
  assert.equal(p.indicators[0].core, true);
  assert.equal(p.indicators[0].raw, '≥14(份)');
  await page.context().close();
});

test('a viewer is offered no department-wide declaration and cannot open one', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'viewer', users.viewer);
  await page.goto(url);
  assert.equal(await page.locator('#nav-new-department').count(), 0);
  const res = await page.goto(`${url}/projects/new?kind=department`);
  assert.equal(res.status(), 403);
  await page.context().close();
});
