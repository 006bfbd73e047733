// The OTA job page at fleet size (issue 14): a job made through the admin API over 250 of an OEM's devices shows
// its counters whole and its devices 100 at a time, turned with Previous and Next, while another OEM sees none of it.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {dataOemPassword, launchBrowser, moduleJobOver, oemWithData, pageFetch, screenshot, signIn, signOut,
  startAdsSim} from './support.mjs';

let service;
let browser;
let page;
let jobId;

before(async () => {
  service = await startAdsSim();
  browser = await launchBrowser(service);
  page = browser.page;
  await oemWithData(service, 'c3c3c3c3', 250);
  await oemWithData(service, 'd4d4d4d4', 1);
  jobId = await moduleJobOver(service, 'c3c3c3c3');
});

after(async () => {
  await browser?.close();
  service?.stop();
});

// The DSNs in the job page's device table.
const shownDsns = () => page.$$eval('#job-targets tbody tr', (rows) => rows.map((r) => r.cells[0].textContent));
const dsn = (n) => 'c3c3c3c3-' + String(n).padStart(6, '0');

test('a job over 250 devices shows its counters and its devices 100 at a time', async () => {
  await signIn(page, service, 'c3c3c3c3@example.com', dataOemPassword, 'c3c3c3c3');
  await page.waitForSelector('#upload-key');
  await page.goto(service.url + '/console/#/ota/' + jobId);
  await page.waitForSelector('#job-range:text-is("Devices 1\u2013100 of 250")');
  assert.equal(await page.textContent('#count-total'), '250');
  assert.equal(await page.textContent('#count-status'), 'NONE');
  let dsns = await shownDsns();
  assert.equal(dsns.length, 100);
  assert.equal(dsns[0], dsn(1));
  assert.equal(dsns[99], dsn(100));
  assert.ok(await page.isDisabled('#job-previous'));
  await screenshot(page, 'job-01-first-page');

  await page.click('#job-next');
  await page.waitForSelector('#job-range:text-is("Devices 101\u2013200 of 250")');
  dsns = await shownDsns();
  assert.deepEqual([dsns.length, dsns[0], dsns[99]], [100, dsn(101), dsn(200)]);
  await page.click('#job-next');
  await page.waitForSelector('#job-range:text-is("Devices 201\u2013250 of 250")');
  dsns = await shownDsns();
  assert.deepEqual([dsns.length, dsns[0], dsns[49]], [50, dsn(201), dsn(250)]);
  assert.ok(await page.isDisabled('#job-next'));
  await page.click('#job-previous');
  await page.waitForSelector('#job-range:text-is("Devices 101\u2013200 of 250")');
  assert.equal((await shownDsns())[0], dsn(101));
  await screenshot(page, 'job-02-second-page');
  await signOut(page);
});

test('another OEM cannot read the job, a page of it or not', async () => {
  await signIn(page, service, 'd4d4d4d4@example.com', dataOemPassword, 'd4d4d4d4');
  await page.waitForSelector('#upload-key');
  for (const query of ['', '?page=2&per_page=100']) {
    const answer = await pageFetch(page, 'GET', '/ota_jobs/' + jobId + query);
    assert.equal(answer.status, 403, query);
    assert.ok(!answer.body.includes('c3c3c3c3-'), query);
  }
  await signOut(page);
});
