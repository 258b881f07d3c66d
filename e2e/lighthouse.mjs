// Lighthouse (mobile settings: a mid-range phone, simulated slow 4G and a 4x
// slower CPU) on the pages a student sees first: home, sign-up, and filing a
// report while logged in. Prints the scores and the metrics behind them, and
// fails below the budget: performance LIGHTHOUSE_MIN_PERFORMANCE (default
// 60, see scripts/lighthouse.sh), accessibility 100. LIGHTHOUSE_DEBUG=1 also
// prints the long tasks and where the main thread's time went.
//
//   BASE_URL=http://127.0.0.1:18765 node lighthouse.mjs
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { signUpStudent } from './student.mjs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:18765';
const BUDGET = {
  performance: Number(process.env.LIGHTHOUSE_MIN_PERFORMANCE ?? 60) / 100,
  accessibility: 1,
};
const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
];

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  // No sandbox as root; no background traffic on a machine without internet.
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});

async function audit(page, path, keepLogin) {
  // A cold load: nothing cached, but (for the report page) the login kept.
  const cdp = await page.createCDPSession();
  await cdp.send('Network.clearBrowserCache');
  const { lhr } = await lighthouse(`${BASE}${path}`, {
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    disableStorageReset: keepLogin,
  }, undefined, page);
  return lhr;
}

/** Audits `path`; a run that Lighthouse itself could not record (a runtime
 * error such as NO_NAVSTART, no scores at all) is run again, up to twice:
 * it measured nothing, so it says nothing about the page. */
async function measure(name, page, path, keepLogin) {
  for (let attempt = 1; ; attempt += 1) {
    const lhr = await audit(page, path, keepLogin);
    if (!lhr.runtimeError || attempt === 3) {
      report(name, lhr);
      return;
    }
    console.log(`${name.padEnd(16)} Lighthouse could not measure (${lhr.runtimeError.code}); again`);
  }
}

let failed = false;
function report(name, lhr) {
  const scores = Object.fromEntries(
    Object.entries(lhr.categories).map(([k, v]) => [k, v.score]));
  const metrics = METRICS.map(([id, short]) => `${short} ${lhr.audits[id].displayValue}`).join(', ');
  const broken = Object.entries(lhr.audits)
    .filter(([, a]) => a.score !== null && a.score < 1 && lhr.categories.accessibility.auditRefs
      .some((r) => r.id === a.id && r.weight > 0))
    .map(([id]) => id);
  if (lhr.runtimeError) {
    console.log(`${name.padEnd(16)} Lighthouse could not measure: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  }
  console.log(`${name.padEnd(16)} performance ${Math.round(scores.performance * 100)}, ` +
    `accessibility ${Math.round(scores.accessibility * 100)}  (${metrics}; ` +
    `host benchmark index ${Math.round(lhr.environment.benchmarkIndex)})` +
    (broken.length ? `  accessibility audits failed: ${broken.join(', ')}` : ''));
  if (process.env.LIGHTHOUSE_DEBUG) {
    for (const id of ['largest-contentful-paint-element', 'network-requests', 'long-tasks', 'bootup-time', 'mainthread-work-breakdown']) {
      console.log(id, JSON.stringify((lhr.audits[id].details?.items ?? []).slice(0, 8)));
    }
  }
  for (const [category, min] of Object.entries(BUDGET)) {
    if (scores[category] < min) {
      failed = true;
      console.log(`  ${category} ${Math.round(scores[category] * 100)} is under ${min * 100}`);
    }
  }
}

try {
  const page = await browser.newPage();
  await measure('home', page, '/', false);
  await measure('sign-up', page, '/signup', false);

  // Signed up through the form; the session stays for the report page.
  await signUpStudent(page, BASE, 'Lighthouse');
  await measure('file a report', page, '/reports/new', true);
} finally {
  await browser.close();
}
if (failed) {
  console.log('Lighthouse: under budget');
  process.exit(1);
}
