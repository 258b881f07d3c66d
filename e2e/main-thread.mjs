// Where the main thread's time goes while a page loads: records a Chromium
// trace of one cold load at a phone's CPU (4x slower than the host, as
// Lighthouse assumes) and prints every task over 8 ms with the parts of it
// over 1.5 ms (timers, microtasks, style, layout, paint, ...). Lighthouse
// counts each task's time past 50 ms (at that slowdown) as blocking.
//
//   BASE_URL=http://127.0.0.1:18765 [PAGE=/reports/new] [WAIT=#description] [CPU=4] node main-thread.mjs
//
// For /reports/new it signs a student up first, as lighthouse.mjs does.
import puppeteer from 'puppeteer-core';
import { signUpStudent } from './student.mjs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:18765';
const PAGE = process.env.PAGE ?? '/reports/new';
const WAIT = process.env.WAIT ?? (PAGE === '/reports/new' ? '#description' : 'main h1');
const CPU = Number(process.env.CPU ?? 4);

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true });
  if (PAGE === '/reports/new') {
    await signUpStudent(page, BASE, 'Tasks');
  }
  const cdp = await page.createCDPSession();
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  await page.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile'] });
  await page.goto(`${BASE}${PAGE}`);
  await page.waitForSelector(WAIT, { visible: true });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const events = JSON.parse(Buffer.from(await page.tracing.stop()).toString('utf8')).traceEvents;

  // The main thread of the renderer that loaded the page (puppeteer's
  // blank page has a renderer of its own).
  const pagePids = new Set(events
    .filter((e) => e.name === 'ParseHTML' && String(e.args?.beginData?.url ?? '').startsWith(`${BASE}${PAGE}`))
    .map((e) => e.pid));
  const mainThreads = new Set(events
    .filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain' && pagePids.has(e.pid))
    .map((e) => `${e.pid}:${e.tid}`));
  const onMain = (e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`);
  const start = Math.min(...events.filter((e) => e.name === 'ResourceSendRequest').map((e) => e.ts));
  const ms = (us) => (us / 1000).toFixed(1);
  let blocking = 0;
  for (const task of events.filter((e) => onMain(e) && e.name === 'RunTask' && e.dur > 8000)) {
    blocking += Math.max(0, task.dur - 50000);
    console.log(`task at ${ms(task.ts - start).padStart(7)} ms: ${ms(task.dur).padStart(6)} ms`);
    const parts = events.filter((e) => onMain(e) && e !== task && e.name !== 'RunTask'
      && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur > 1500);
    for (const part of parts) {
      const data = part.args?.data ?? {};
      const what = data.functionName ?? data.url ?? data.type ?? '';
      console.log(`  +${ms(part.ts - task.ts).padStart(6)}  ${ms(part.dur).padStart(6)} ms  ${part.name} ${String(what).slice(0, 60)}`);
    }
  }
  console.log(`time past 50 ms in these tasks: ${ms(blocking)} ms (CPU ${CPU}x slower)`);
} finally {
  await browser.close();
}
