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
//   Second round (editor, review, self-evaluation notes), as the demo's editor then reviewer:
//   ... node $REPO/scripts/web-screenshots.js http://127.0.0.1:8391 editor $EDITOR_PW $REPO/docs/screenshots zh \
//     "newbad:/projects/new=web-editor" "badfunds:/projects/2/edit=web-editor-funds" "notes:/projects/1/evaluation=web-self-evaluation" "submit:/projects/1=web-submitted" (a by-product, not kept)
//   ... node $REPO/scripts/web-screenshots.js http://127.0.0.1:8391 reviewer $REVIEWER_PW $REPO/docs/screenshots zh \
//     /review=web-review "/projects/1#workflow=web-review-project"
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
    let full = false;
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
    } else if (path.startsWith('newbad:')) {
      // The editor with a mistyped target, checked (nothing saved).
      await page.goto(base + path.slice(7));
      await page.fill('#name', '新能源公务车辆更新');
      await page.fill('#funds_total', '360,000.00');
      await page.fill('#funds_fiscal', '360,000.00');
      await page.fill('#overall_goal', '完成公务车辆新能源替换');
      await page.fill('#annual_goal', '年内完成 3 辆新能源车辆采购');
      await page.fill('#ind_name_0', '购置新能源车辆数');
      await page.fill('#ind_target_0', '≥1,00,0(辆)');
      await Promise.all([page.waitForNavigation(), page.click('[data-testid=add-indicator]')]);
      await page.selectOption('#ind_level2_1', 'timeliness');
      await page.fill('#ind_name_1', '采购完成时间');
      await page.fill('#ind_target_1', '2024年10月31日前');
      await Promise.all([page.waitForNavigation(), page.click('[data-testid=add-indicator]')]);
      await page.selectOption('#ind_level2_2', 'quality');
      await page.fill('#ind_name_2', '车辆验收合格率');
      await page.fill('#ind_target_2', '≥1OO%');
      await Promise.all([page.waitForNavigation(), page.click('[data-testid=check]')]);
      full = true;
    } else if (path.startsWith('badfunds:')) {
      // 项目资金 with a letter for a digit and one amount left empty: refused, fields named.
      await page.goto(base + path.slice(9));
      await page.fill('#pfunds_total', '27,085,116.00');
      await page.fill('#pfunds_fiscal', '9,O28,372.00');
      await page.fill('#pfunds_other', '');
      await Promise.all([page.waitForNavigation(), page.click('[data-testid=save]')]);
      await page.evaluate(() => document.getElementById('funds_total').scrollIntoView());
      await page.evaluate(() => window.scrollBy(0, -200));
    } else if (path.startsWith('submit:')) {
      await page.goto(base + path.slice(7));
      await Promise.all([page.waitForNavigation(), page.click('[data-testid=submit]')]);
    } else if (path.startsWith('notes:')) {
      await page.goto(base + path.slice(6));
      const reasons = await page.$$('#notes-form input[name^=reason_]');
      await reasons[0].fill('车辆交付延迟两个月');
      const remedies = await page.$$('#notes-form input[name^=remedy_]');
      await remedies[0].fill('合同中约定交付期限与违约责任');
      await page.fill('#annual_budget', '1,700,000.00');
      await Promise.all([page.waitForNavigation(), page.click('[data-testid=save-notes]')]);
      await page.evaluate(() => document.getElementById('notes').scrollIntoView());
    } else {
      await page.goto(base + path);
    }
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: full || name.endsWith('-full') });
    console.log(name, page.url());
  }
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
