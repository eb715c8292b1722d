// The indicator library, its suggestions in the editor and a declaration across years, in the
// browser (issue 20 items 1–3). The test seeds what it needs through the pages themselves: the
// editor submits the demo's 2024 declaration and the reviewer approves it; finance builds the
// library from it (/library) and edits an entry (a new version, audited); the second year is
// the demo's (tests/data/demo/transport_2025.txt, linked to 2024 as 上年项目). Then: suggestions appear while
// an indicator name is typed, each with its typical target, unit, use count and why it ranks
// there, and choosing one fills the row and links it; 从指标库添加 adds a whole entry as a row,
// saved with its link; the 历年对比 page shows both years, the match note and the year-over-year
// finding. With JIXIAO_SCREENSHOTS=<dir> each page is saved as PNG
// (docs/screenshots/web-library-*.png, web-history-years.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, login } from './harness.mjs';

const env = suite();
const shots = process.env.JIXIAO_SCREENSHOTS;
const TRANSPORT = '交通工具购置及更新';

async function shot(page, name) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function post(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** The id of the demo declaration of `year`, from the dashboard. */
async function declarationId(page, year) {
  await page.goto(`${env.server.url}/`);
  const rows = page.locator('table tr', { has: page.locator(`a:text-is("${TRANSPORT}")`) });
  const n = await rows.count();
  for (let k = 0; k < n; k++) {
    const row = rows.nth(k);
    if ((await row.innerText()).includes(String(year))) {
      const href = await row.locator(`a:text-is("${TRANSPORT}")`).getAttribute('href');
      return href.match(/\/projects\/(\d+)/)[1];
    }
  }
  throw new Error(`no ${year} declaration of ${TRANSPORT} on the dashboard`);
}

let seeded = null;

/** Approves 2024 and builds the library — once for the file. */
async function seed() {
  if (seeded) return seeded;
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  const id2024 = await declarationId(editor, 2024);
  await editor.goto(`${env.server.url}/projects/${id2024}`);
  await post(editor, '#submit-form button[type=submit]');
  assert.equal(await editor.locator('[data-testid=workflow]').getAttribute('data-status'), 'submitted');
  const reviewer = await login(env.browser, env.server.url, 'reviewer', env.server.users.reviewer);
  await reviewer.goto(`${env.server.url}/projects/${id2024}`);
  await post(reviewer, '#approve-form button[type=submit]');
  assert.equal(await reviewer.locator('[data-testid=workflow]').getAttribute('data-status'), 'approved');
  await reviewer.context().close();

  // The second year is the demo's (tests/data/demo/transport_2025.txt, linked to 2024).
  const id2025 = await declarationId(editor, 2025);
  await editor.context().close();

  // Finance builds the library from the approved declaration.
  const finance = await login(env.browser, env.server.url, 'finance', env.server.users.finance);
  await finance.goto(`${env.server.url}/library`);
  assert.equal(await finance.locator('[data-testid=library-empty]').count(), 1, 'empty before the build');
  await post(finance, '[data-testid=library-build]');
  assert.match(await finance.locator('[data-testid=library-outcome]').innerText(), /新增 \d+/);
  await finance.context().close();
  seeded = { id2024, id2025 };
  return seeded;
}

test('finance builds the library, searches it and edits an entry: a new version with its audit row', async () => {
  await seed();
  const finance = await login(env.browser, env.server.url, 'finance', env.server.users.finance);
  await post(finance, '#nav-library');
  const entries = finance.locator('[data-testid=library-entry]');
  assert.ok((await entries.count()) >= 6, 'every indicator of the approved declaration is an entry');
  const km = entries.filter({ hasText: '行驶公里数' });
  assert.equal(await km.count(), 1);
  const cells = await km.locator('td').allInnerTexts();
  assert.equal(cells[2], '公里', 'its unit');
  assert.equal(cells[3], '正向', 'its direction');
  assert.match(cells[4], /≥15000/, 'its typical target');
  assert.match(cells[5], /^1 次/, 'used once');
  assert.match(await finance.content(), /个性指标 · 上海市生态环境局 · 产出指标 \/ 数量指标/, 'grouped by department and 二级');
  await shot(finance, 'web-library-list');

  // Search by name.
  await finance.fill('[data-testid=library-filters] input[name=q]', '满意');
  await post(finance, '[data-testid=library-filters] button[type=submit]');
  assert.equal(await entries.count(), 1);
  assert.match(await entries.first().innerText(), /乘用人员满意度/);

  // Edit: a definition and the 核心指标 flag; saved as version 2, audited.
  await finance.goto(`${env.server.url}/library`);
  await post(finance, 'a:text-is("行驶公里数")');
  assert.match(await finance.locator('h1').innerText(), /v1/);
  await finance.fill('textarea[name=definition]', '全年业务用车行驶总里程，以行车记录为准');
  await finance.check('input[name=core]');
  await post(finance, '[data-testid=entry-save]');
  assert.match(await finance.locator('[data-testid=entry-saved]').innerText(), /第 2 版/);
  assert.match(await finance.locator('h1').innerText(), /v2.*核心指标/s);
  assert.equal(await finance.locator('[data-testid=entry-versions] tbody tr').count(), 2);
  const audit = await finance.locator('[data-testid=entry-audit]').innerText();
  assert.match(audit, /library_edit/);
  assert.match(audit, /finance/);
  await shot(finance, 'web-library-entry');

  // An editor reads the library but has no edit form and no build or import buttons.
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  await editor.goto(`${env.server.url}/library`);
  assert.equal(await editor.locator('[data-testid=library-build]').count(), 0);
  assert.equal(await editor.locator('[data-testid=library-import]').count(), 0);
  await post(editor, 'a:text-is("行驶公里数")');
  assert.equal(await editor.locator('[data-testid=entry-form]').count(), 0);
  assert.match(await editor.content(), /全年业务用车行驶总里程/);
  await editor.context().close();
  await finance.context().close();
});

test('suggestions appear while a name is typed, explain their rank, and choosing one fills the row and links it', async () => {
  await seed();
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  await editor.goto(`${env.server.url}/projects/new`);
  await editor.locator('#ind_name_0').pressSequentially('公里', { delay: 30 });
  const list = editor.locator('[data-testid=suggestions]');
  await list.waitFor();
  const first = list.locator('[data-testid=suggestion]').first();
  const text = await first.innerText();
  assert.match(text, /行驶公里数/);
  assert.match(text, /指标库/, 'the library comes first');
  assert.match(text, /单位 公里/);
  assert.match(text, /典型值 ≥15000/);
  assert.match(text, /使用 1 次/);
  assert.match(text, /排序理由：指标库（个性·上海市生态环境局，核心指标）；名称包含所输内容；使用 1 次/);
  await shot(editor, 'web-library-suggest');
  await first.click();
  assert.equal(await editor.inputValue('#ind_name_0'), '行驶公里数');
  assert.equal(await editor.inputValue('#ind_level2_0'), 'quantity');
  assert.match(await editor.getAttribute('#ind_target_0', 'placeholder'), /≥15000/);
  assert.match(await editor.inputValue('#ind_lib_0'), /^\d+$/, 'linked to its entry');
  assert.match(await editor.locator('[data-testid=hint-0]').innerText(), /指标库.*单位 公里/s);

  // Typing the name by hand again drops the link.
  await editor.locator('#ind_name_0').pressSequentially('（自定）', { delay: 20 });
  assert.equal(await editor.inputValue('#ind_lib_0'), '');
  await editor.context().close();
});

test('从指标库添加 adds an entry as a new row with its values, and the link is saved', async () => {
  const { id2025 } = await seed();
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  await editor.goto(`${env.server.url}/projects/${id2025}/edit`);
  const rows = editor.locator('tr[data-testid^=ind-row-]');
  const before = await rows.count();
  const option = editor.locator('#lib_entry option', { hasText: '乘用人员满意度' });
  await editor.selectOption('#lib_entry', await option.getAttribute('value'));
  await post(editor, '[data-testid=add-library]');
  assert.equal(await rows.count(), before + 1);
  const k = before;
  assert.equal(await editor.inputValue(`#ind_name_${k}`), '乘用人员满意度');
  assert.equal(await editor.inputValue(`#ind_target_${k}`), '满意', 'the typical target of 2024');
  assert.equal(await editor.inputValue(`#ind_level2_${k}`), 'service_satisfaction');
  assert.match(await editor.locator(`[data-testid=linked-${k}]`).innerText(), /指标库/);
  await shot(editor, 'web-library-add');

  // Remove the duplicate it makes of the imported row and save: the link stays on that indicator.
  const dup = await rows.evaluateAll((trs, name) => trs.findIndex((tr) => tr.querySelector('input[name^=ind_name_]').value === name), '乘用人员满意度');
  assert.ok(dup >= 0 && dup < k);
  await post(editor, `[data-testid=remove-${dup}]`);
  await post(editor, '[data-testid=save]');
  assert.match(editor.url(), new RegExp(`/projects/${id2025}\\?done=saved`));
  await editor.goto(`${env.server.url}/projects/${id2025}/edit`);
  const names = await editor.locator('input[name^=ind_name_]').evaluateAll((xs) => xs.map((x) => x.value));
  const at = names.indexOf('乘用人员满意度');
  assert.ok(at >= 0);
  assert.match(await editor.locator(`[data-testid=linked-${at}]`).innerText(), /指标库/, 'the saved indicator is linked');
  await editor.context().close();
});

test('the 历年对比 page shows both years, how they were matched and the year-over-year finding', async () => {
  const { id2025 } = await seed();
  const editor = await login(env.browser, env.server.url, 'editor', env.server.users.editor);
  await editor.goto(`${env.server.url}/projects/${id2025}`);
  await post(editor, '[data-testid=tab-years]');
  assert.match(editor.url(), new RegExp(`/projects/${id2025}/years$`));
  assert.equal(await editor.locator('[data-testid=years] tbody tr').count(), 2);
  assert.equal(await editor.locator('[data-testid=year-2024]').count(), 1);
  assert.equal(await editor.locator('[data-testid=year-2025]').count(), 1);
  assert.match(await editor.locator('[data-testid=year-2024]').innerText(), /按上年项目关联/, 'matched by the link (id)');
  const km = editor.locator('[data-testid=year-row]', { hasText: '行驶公里数' });
  const cells = await km.locator('td').allInnerTexts();
  assert.match(cells[2], /≥15000/, '2024 target');
  assert.match(cells[3], /13,?500公里/, '2024 actual');
  assert.match(cells[4], /≥12000/, '2025 target');
  assert.match(await km.getAttribute('class'), /yoy/, 'the finding is marked on its indicator');
  const flags = (await km.locator('[data-testid=yoy-flag]').allInnerTexts()).join('\n');
  assert.match(flags, /低于2024年实际完成值 13,?500/, 'a target below last year\'s actual');
  assert.match(flags, /年度资金由360,000.00 元增至420,000.00 元/, 'money up while the target went down');
  await shot(editor, 'web-history-years');
  await editor.context().close();
});
