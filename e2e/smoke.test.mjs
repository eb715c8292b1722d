// The server starts with the demo data and a user signs in through the JSON API from the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suite } from './harness.mjs';

// The server and the browser, started before the first test and stopped after the last.
const env = suite();

test('demo users are printed and the admin signs in', async () => {
  assert.ok(env.server.users.editor, env.server.log());
  assert.equal(env.server.users.admin, 'admin-e2e-password');
  const page = await env.browser.newPage();
  await page.goto(`${env.server.url}/api/openapi.json`);
  const res = await page.evaluate(async () => {
    const r = await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-e2e-password' }),
    });
    const s = await fetch('/api/session');
    return { login: r.status, session: await s.json() };
  });
  assert.equal(res.login, 200);
  assert.equal(res.session.user, 'admin');
  assert.ok(res.session.csrf_token);
});
