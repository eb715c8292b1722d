// The server starts with the demo data and a user signs in through the JSON API from the browser.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test('demo users are printed and the admin signs in', async () => {
  assert.ok(server.users.editor, server.log());
  assert.equal(server.users.admin, 'admin-e2e-password');
  const page = await browser.newPage();
  await page.goto(`${server.url}/api/openapi.json`);
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
