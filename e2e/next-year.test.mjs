// Issue 19 item 8 in a real browser: a clerk starts next year's declaration from this year's —
// a copy a year later, with last year's target and actual beside each indicator — and, saved,
// the new declaration is linked to last year's (history matches the two by id).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, login } from './harness.mjs';

const env = suite();
const TRANSPORT = '交通工具购置及更新';
const shots = process.env.JIXIAO_SCREENSHOTS;

async function shot(page, name) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** The id of the demo's 2024 declaration of 交通工具购置及更新 (the one with actuals). */
async function id2024(page, url) {
  const res = await page.request.get(`${url}/api/projects?per_page=200`);
  assert.equal(res.status(), 200);
  const { items } = await res.json();
  const found = items.find((x) => x.name === TRANSPORT && x.year === 2024);
  assert.ok(found, `the 2024 ${TRANSPORT} among ${JSON.stringify(items.map((x) => [x.name, x.year]))}`);
  return found.id;
}

test("next year's declaration starts from this year's, last year's actual beside each target, and is linked when saved", async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'editor', users.editor);
  const id = await id2024(page, url);
  await page.goto(`${url}/projects/${id}`);
  await Promise.all([page.waitForNavigation(), page.click('[data-testid=next-year]')]);
  assert.match(page.url(), new RegExp(`/projects/new\\?from=${id}$`));
  assert.equal(await page.inputValue('#year'), '2025');
  assert.equal(await page.inputValue('#start'), '2025-01-01');
  assert.equal(await page.inputValue('#name'), TRANSPORT);
  assert.match(await page.locator('[data-testid=from-previous]').innerText(), /2024 年度「交通工具购置及更新」/);
  // 行驶公里数: last year's target and its recorded actual beside the copied row.
  const prior = await page.locator('[data-testid=prior-0]').innerText();
  assert.match(prior, /上年指标值 ≥15000/);
  assert.match(prior, /实际完成 \S*公里/);
  await shot(page, 'web-next-year');

  // The demo holds 2025 already: saving under the same name is refused, naming it.
  await Promise.all([page.waitForNavigation(), page.click('button[name=op][value=save]')]);
  assert.match(await page.locator('[data-testid=refusal]').innerText(), /2025年度 .* 已有项目「交通工具购置及更新」/);
  // …and the form still says where it came from.
  assert.equal(await page.locator('[data-testid=from-previous]').count(), 1);

  await page.fill('#name', '交通工具购置及更新（二期）');
  await Promise.all([page.waitForNavigation(), page.click('button[name=op][value=save]')]);
  const created = page.url().match(/\/projects\/(\d+)\?done=created/);
  assert.ok(created, `created: ${page.url()}`);
  const res = await page.request.get(`${url}/api/projects/${created[1]}/history`);
  assert.equal(res.status(), 200);
  const history = await res.json();
  const years = history.years.map((y) => [y.year, y.matched]);
  assert.deepEqual(years, [[2024, 'linked'], [2025, 'itself']]);
  await page.context().close();
});

test('a viewer is offered no next year and cannot open one', async () => {
  const { url, users } = env.server;
  const page = await login(env.browser, url, 'viewer', users.viewer);
  const id = await id2024(page, url);
  await page.goto(`${url}/projects/${id}`);
  assert.equal(await page.locator('[data-testid=next-year]').count(), 0);
  const res = await page.goto(`${url}/projects/new?from=${id}`);
  assert.equal(res.status(), 403);
  await page.context().close();
});

test("another unit's editor cannot start from this unit's declaration", async () => {
  const { url, users } = env.server;
  const owner = await login(env.browser, url, 'editor', users.editor);
  const id = await id2024(owner, url);
  await owner.context().close();
  const page = await login(env.browser, url, 'editor2', users.editor2);
  const res = await page.goto(`${url}/projects/new?from=${id}`);
  assert.equal(res.status(), 404);
  await page.context().close();
});
