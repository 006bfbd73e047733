// The console's first paint with data (issue 11): 1,000 devices on the DEVICES page and 10,000 datapoints on a
// device page's plot, in Debian's chromium, beside a baseline measured in the same run (the same pages with one
// device and ten datapoints). A "paint" is navigation start to the animation frame in which the data is on screen.
// Run: scripts/test-browser.sh sets things up; then `node bench/console_first_paint.mjs` (build/ must exist).
import {execFileSync} from 'node:child_process';
import path from 'node:path';

import {launchBrowser, makerEmail, makerPassword, request, signIn, startAdsSim} from '../tests/browser/support.mjs';

const runs = 7;
const oemPassword = 'bench-password-1';

// An OEM made through the console, its rows then added straight to the database (keys are not needed: these
// devices never connect, and making 1,000 RSA keys would take the run's time).
async function oemWithData(service, oemId, devices, datapoints) {
  const login = await request(service, 'POST', '/api/v1/console/login', {body: {email: makerEmail, password: makerPassword}});
  const cookie = login.headers['set-cookie'][0].split(';')[0];
  const made = await request(service, 'POST', '/api/v1/console/oems', {
    body: {email: oemId + '@example.com', name: 'bench', password: oemPassword, oem_id: oemId},
    headers: {Cookie: cookie, 'X-CSRF-Token': login.body.csrf_token}});
  if (made.status !== 201) throw new Error('create OEM: ' + JSON.stringify(made.body));
  const first = `${oemId}-000001`;
  execFileSync('sqlite3', [path.join(service.dir, 'data', 'ads.db')], {input: `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${devices})
    INSERT INTO devices(dsn, oem_id, model, public_key, private_key, fw_version, created_at)
      SELECT printf('${oemId}-%06d', i), '${oemId}', 'benchmodel', '-', '-', 'v1', '2026-01-01T00:00:00.000Z' FROM n;
    INSERT INTO properties(device_key, name, base_type, direction, value, updated_at)
      VALUES((SELECT key FROM devices WHERE dsn = '${first}'), 'temperature', 'integer', 'from_device', '20', '');
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${datapoints})
    INSERT INTO datapoints(property_id, value, metadata, created_at)
      SELECT (SELECT id FROM properties WHERE device_key = (SELECT key FROM devices WHERE dsn = '${first}')),
             CAST(20 + i % 17 AS TEXT), '{}', strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + i * 60, 'unixepoch')
      FROM n;`});
  return first;
}

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
    await signIn(page, service, oem + '@example.com', oemPassword);
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
  console.log('console first paint, median of ' + runs + ' (chromium headless, 1280x800)');
  for (const f of figures)
    console.log(`  ${f.what.padEnd(14)} DEVICES page ${f.devices_ms.toFixed(1).padStart(7)} ms   ` +
      `device page, ${String(f.points).padStart(5)} datapoints plotted ${f.plot_ms.toFixed(1).padStart(7)} ms`);
  console.log('  target: < 200 ms with 1,000 devices and 10,000 datapoints (the first line is the baseline)');
} finally {
  await browser.close();
  service.stop();
}
