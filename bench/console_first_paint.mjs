// The console's first paint with data (issue 11): 1,000 devices on the DEVICES page and 10,000 datapoints on a
// device page's plot, and (issue 14) an OTA job's page at 10,000 devices, in Debian's chromium, beside a baseline
// measured in the same run (the same pages with one device and ten datapoints, a job over 10 devices). A "paint" is navigation start to the animation frame in which the data is on screen.
// Run: scripts/test-browser.sh sets things up; then `node bench/console_first_paint.mjs` (build/ must exist).
import {dataOemPassword, launchBrowser, moduleJobOver, oemWithData, signIn, startAdsSim}
  from '../tests/browser/support.mjs';

const runs = 7;

// Milliseconds from navigation start to the frame in which `ready(arg)` (run in the page) first holds; the median.
async function paint(page, url, ready, arg) {
  const times = [];
  for (let i = 0; i < runs; ++i) {
    await page.goto('about:blank');
    await page.goto(url);
    const handle = await page.waitForFunction(ready, arg, {polling: 'raf', timeout: 30000});
    times.push(await handle.jsonValue());
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// Page-side predicates: the time of the frame once the data is on screen, else false.
const devicesReady = (rows) => document.querySelectorAll('#devices tbody tr').length === rows && performance.now();
const jobReady = (total) => document.getElementById('count-total')?.textContent === String(total) &&
  document.querySelectorAll('#job-targets tbody tr').length === Math.min(total, 100) && performance.now();
const plotReady = (points) =>
  (document.getElementById('plot-title')?.textContent || '').includes(points + ' numeric') && performance.now();

const service = await startAdsSim();
const browser = await launchBrowser(service);
try {
  const small = await oemWithData(service, 'bench001', 1, 10);
  const large = await oemWithData(service, 'bench002', 1000, 10000);
  const page = browser.page;
  const figures = [];
  for (const [oem, dsn, devices, points] of [['bench001', small, 1, 10], ['bench002', large, 1000, 10000]]) {
    await signIn(page, service, oem + '@example.com', dataOemPassword);
    await page.waitForSelector('#upload-key');
    figures.push({
      what: `${devices} device(s)`,
      devices_ms: await paint(page, service.url + '/console/#/devices', devicesReady, devices),
      plot_ms: await paint(page, service.url + '/console/#/devices/' + dsn, plotReady, points),
      points,
    });
    await page.click('#logout');
    await page.waitForSelector('#login-form');
  }
  // The OTA job page (issue 14): a job made through the admin API, as sim7600-fleet makes one, over 10 devices and
  // over 10,000; the page shows the counters and the first 100 devices.
  const jobFigures = [];
  for (const [oem, devices] of [['bench003', 10], ['bench004', 10000]]) {
    await oemWithData(service, oem, devices);
    const jobId = await moduleJobOver(service, oem);
    await signIn(page, service, oem + '@example.com', dataOemPassword);
    await page.waitForSelector('#upload-key');
    jobFigures.push({devices, ms: await paint(page, service.url + '/console/#/ota/' + jobId, jobReady, devices)});
    await page.click('#logout');
    await page.waitForSelector('#login-form');
  }
  console.log('console first paint, median of ' + runs + ' (chromium headless, 1280x800)');
  for (const f of figures)
    console.log(`  ${f.what.padEnd(14)} DEVICES page ${f.devices_ms.toFixed(1).padStart(7)} ms   ` +
      `device page, ${String(f.points).padStart(5)} datapoints plotted ${f.plot_ms.toFixed(1).padStart(7)} ms`);
  console.log('  target: < 200 ms with 1,000 devices and 10,000 datapoints (the first line is the baseline)');
  for (const f of jobFigures)
    console.log(`  OTA job page, a job over ${String(f.devices).padStart(6)} devices ${f.ms.toFixed(1).padStart(7)} ms`);
  console.log('  target: < 200 ms at 10,000 devices (the first line is the baseline)');
} finally {
  await browser.close();
  service.stop();
}
