// Screenshots of the web pages (docs/screenshots/web-*.png) with Debian's Chromium.
// Not part of the tests; run by hand in a scratch directory outside the repository:
//   mkdir /tmp/shots && cd /tmp/shots && npm install playwright-core@1
//   JIXIAO_ADMIN_PASSWORD=admin-pass-123 jixiao serve --demo --db /tmp/demo.db --bind 127.0.0.1:8391 &
//   NODE_PATH=/tmp/shots/node_modules node $REPO/scripts/web-screenshots.js http://127.0.0.1:8391 \
//     admin admin-pass-123 $REPO/docs/screenshots zh /=web-dashboard /projects/1=web-project \
//     "/projects/1/monitoring?as_of=2024-07-31=web-monitoring" /projects/1/evaluation=web-evaluation \
//     "badactual:/projects/1/actuals=web-actuals-error" /projects/1/history=web-history \
//     "upload:$REPO/tests/data/seed_2024_shanghai.txt=web-upload" \
//     "/summary?year=2024&as_of=2024-07-31=web-summary" /admin/users=web-admin
//   (user `-` for the login page alone; language `en` for the English pages.)
// Arguments: BASE USER PASSWORD OUTDIR LANG path=name ... (the name after the last `=`).
const { chromium } = require('playwright-core');
(async () => {
  const [base, user, password, out, lang, ...pages] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  if (lang === 'en') await page.goto(base + '/lang?to=en&next=/login');
  await page.goto(base + '/login');
  if (user !== '-') {
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForNavigation(), page.click('form.login button[type=submit]')]);
  }
  for (const spec of pages) {
    const cut = spec.lastIndexOf('='); const path = spec.slice(0, cut), name = spec.slice(cut + 1);
    if (path.startsWith('upload:')) {
      await page.goto(base + '/upload');
      await page.setInputFiles('input[name=file]', path.slice(7));
      await Promise.all([page.waitForNavigation(), page.click('form[action="/upload"] button[type=submit]')]);
    } else if (path.startsWith('badactual:')) {
      await page.goto(base + path.slice(10));
      await page.selectOption('select[name=indicator]', { index: 1 });
      await page.fill('input[name=date]', '2024-06-30');
      await page.fill('input[name=value]', '12x公里');
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/actuals"] button[type=submit]')]);
    } else {
      await page.goto(base + path);
    }
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: name.endsWith('-full') });
    console.log(name, page.url());
  }
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
