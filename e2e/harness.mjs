// The harness of the end-to-end tests: a real `jixiao serve --demo` on a fresh SQLite file and a
// real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
//
// JIXIAO_BIN names the binary (default: $CARGO_TARGET_DIR or ../target, debug/jixiao).
// CHROMIUM names the browser (default /usr/bin/chromium). Nothing is downloaded.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..');

export function binary() {
  if (process.env.JIXIAO_BIN) return process.env.JIXIAO_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(root, 'target');
  return join(target, 'debug', 'jixiao');
}

/** Starts `jixiao serve --demo` on a new SQLite file; resolves to { url, users, stop }. */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-e2e-'));
  const db = join(dir, 'demo.db');
  const bin = binary();
  if (!existsSync(bin)) throw new Error(`no jixiao binary at ${bin} (build it: cargo build -p jixiao-cli)`);
  const child = spawn(bin, ['--db', db, 'serve', '--demo', '--bind', '127.0.0.1:0'], {
    env: { ...process.env, JIXIAO_ADMIN_PASSWORD: 'admin-e2e-password' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(`http://${m[1]}`); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}\n${err}`)); });
  });
  // "  editor    editor   填报人 <password>  <unit>"
  const users = {};
  for (const line of out.split('\n')) {
    const m = line.match(/^\s+(\S+)\s+(admin|finance|reviewer|editor|viewer)\s+\S+\s+(\S+)/);
    if (m) users[m[1]] = m[3];
  }
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, users, stop, log: () => out + err };
}

/** A headless Chromium with the project's flags. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Signs in through the login page; resolves when the dashboard is shown. */
export async function login(browser, url, username, password) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${url}/`);
  // No session: the dashboard sends the browser to the login form.
  if (!page.url().includes('/login')) throw new Error(`expected the login form, got ${page.url()}`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type=submit]')]);
  return page;
}

/** The text of the dashboard row of a declaration, cell by cell. */
export async function dashboardRow(page, url, name) {
  await page.goto(`${url}/`);
  const row = page.locator('table tr', { has: page.locator(`a:text-is("${name}")`) });
  return row.locator('td').allInnerTexts();
}

/**
 * Registers the hooks of a test file: a server (`startServer`) and a browser (`launchBrowser`)
 * started before its first test and stopped after its last. Returns the object that holds them
 * (`env.server`, `env.browser`), filled in once the `before` hook has run.
 */
export function suite() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}
