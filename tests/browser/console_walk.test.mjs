// Note §5.1.1–5.1.14 in a real browser: the module maker and an OEM use the console while a real sim7600-emu
// runs the OTA job they start; then what must be refused is refused. Screenshots: build/browser-screenshots/.
import assert from 'node:assert/strict';
import {generateKeyPairSync} from 'node:crypto';
import {after, before, test} from 'node:test';

import {admin, launchBrowser, makerEmail, openNav, makerPassword, pageFetch, screenshot, signIn, signOut, startAdsSim,
  startEmulator} from './support.mjs';

const newFirmware =
  'LE11B01SIM7600M11_NA_OTA_191012 B01V06 MDM9x07_AP_M_AT_V1.05_180525 APCA-1.0 ADA-2.4.1 BUILD-183c9ba.132a03a';
const oemId = '71866f33';
const oemEmail = 'oemusertest@aylaasia.com';
const oemPassword = 'oem-password-1';
const xss = '<img src=x onerror="window.__xss=1">';

let service;
let browser;
let page;
let emulator;
const shared = {};  // what one step learns and a later one uses

before(async () => {
  service = await startAdsSim();
  browser = await launchBrowser(service);
  page = browser.page;
});

after(async () => {
  await browser?.close();
  emulator?.stop();
  service?.stop();
});

test('5.1.1 the module maker signs in', async () => {
  await page.goto(service.url + '/console/');
  await page.waitForSelector('#login-form');
  await screenshot(page, '01-login');
  await signIn(page, service, makerEmail, makerPassword);
  await page.waitForSelector('#create-oem');
  assert.match(await page.textContent('#who'), /maker@ads-sim\.local/);
});

test('5.1.2 the module maker creates an OEM account', async () => {
  await page.fill('#create-oem #email', oemEmail);
  await page.fill('#create-oem #name', 'OEM ' + xss);
  await page.fill('#create-oem #password', oemPassword);
  await page.fill('#create-oem #oem_id', oemId);
  await page.click('#create-oem button[type=submit]');
  await page.waitForSelector('#new-oem-id');
  assert.equal(await page.textContent('#new-oem-id'), oemId);
  shared.oemSecret = await page.textContent('#created-oem code');
  // The OEM's name is markup as text: shown literally, never run.
  await page.waitForSelector(`#oems td:text-is('OEM ${xss}')`);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('#oems img').count(), 0);
  await screenshot(page, '02-oems');
});

test('5.1.3 the module maker uploads a module image', async () => {
  await openNav(page, 'MODULE IMAGE');
  await page.waitForSelector('#upload-image');
  await page.fill('#model', 'SIMCOM_SIM7600E-L1C');
  await page.fill('#version', newFirmware);
  await page.fill('#description', 'sim7600e_1_0_small_package');
  await page.setInputFiles('#file', {name: 'update_ota_sim_1_0_small.zip', mimeType: 'application/zip',
    buffer: Buffer.alloc(64 * 1024, 7)});
  await page.click('#upload-image button[type=submit]');
  await page.waitForSelector(`#images td:text-is("${newFirmware}")`);
  await screenshot(page, '03-module-images');
  await signOut(page);
});

test('5.1.4–5.1.7 the OEM signs in and uploads its public key; the key list shows the key id and count',
  async () => {
    await signIn(page, service, oemEmail, oemPassword, oemId);
    await page.waitForSelector('#upload-key');
    await page.waitForSelector('#keys');
    assert.match(await page.textContent('#keys'), /SORRY, NO MATCHING RECORDS FOUND/);
    const {publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
    await page.fill('#public_key', publicKey.export({type: 'spki', format: 'pem'}));
    await page.click('#upload-key button[type=submit]');
    await page.waitForSelector('#keys .key-id');
    const keyId = await page.textContent('#keys .key-id');
    assert.match(keyId, /^[A-Za-z0-9]{16}$/);
    const row = await page.locator('#keys tbody tr').first().locator('td').allTextContents();
    assert.equal(row[0], oemId);
    assert.equal(row[3], '0');
    await screenshot(page, '04-provision-keys');
  });

test('5.1.8–5.1.10 a device of the OEM model connects; models and devices show it', async () => {
  const made = await admin(service, 'POST', `/oems/${oemId}/devices`, {model: 'myoemmodel', count: 1});
  assert.equal(made.status, 201);
  const device = made.body.devices[0];
  shared.dsn = device.dsn;
  emulator = await startEmulator(service);
  const at = emulator.at;
  await at.ok('AT+ADA="start"');
  await at.readUntil('\r\n+ADA: "start","done"\r\n');
  for (const [name, value] of [['id/dev_id', device.dsn], ['id/key', device.public_key], ['oem/id', oemId],
    ['oem/model', 'myoemmodel'], ['server/region', 'CN'], ['oem/secret', shared.oemSecret]])
    await at.ok(`AT+ADA="cs","${name}","${value}"`);
  await at.ok('AT+ADA="enable"');
  await at.readUntil('\r\n+ADA: "enable","RDY"\r\n');
  await at.ok('AT+ADA="l"');
  await at.readUntil('\r\n+ADA: "l","up"\r\n');
  // A property value with markup, as a device or a script could store it.
  assert.equal((await admin(service, 'PUT', `/devices/${device.dsn}/properties/Greeting`,
    {value: xss, base_type: 'string'})).status, 200);

  await openNav(page, 'MODELS');
  await page.waitForSelector('#models code:text-is("myoemmodel-71866f33-device.ayla.com.cn")');
  await screenshot(page, '05-models');
  await openNav(page, 'DEVICES');
  await page.waitForSelector(`#devices a:text-is("${device.dsn}")`);
  assert.match(await page.textContent('#devices tbody'), /listening|connected/);
  await screenshot(page, '06-devices');
  await page.click(`#devices a:text-is("${device.dsn}")`);
  await page.waitForSelector('#properties');
  await page.waitForSelector(`#properties td:text-is('${xss}')`);
  assert.equal(await page.locator('#properties img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await screenshot(page, '07-device');
});

test('5.1.11–5.1.14 the OEM creates and starts a job; the counters reach Succeed 1 and COMPLETED', async () => {
  await openNav(page, 'OTA JOB');
  await page.waitForSelector('#create-job');
  await page.selectOption('#image_id', {label: 'SIMCOM_SIM7600E-L1C \u2014 ' + newFirmware});
  await page.fill('#oem_model', 'myoemmodel');
  await page.fill('#description', xss);
  await page.click('#preview');
  await page.waitForSelector(`#preview td:text-is("${shared.dsn}")`);
  await page.click('#create');
  await page.waitForSelector('#jobs .start-job');
  assert.match(await page.textContent('#jobs tbody'), /NONE/);
  await screenshot(page, '08-ota-jobs');
  await page.click('#jobs .start-job');
  await page.waitForSelector('#jobs td:text-is("RUNNING")');
  const jobId = await page.textContent('#jobs tbody a');
  await page.click('#jobs tbody a');
  await page.waitForSelector('#job-status');
  assert.equal(await page.textContent('#job-description'), xss);
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  // The module side of note §5.1.13 (sample 4.3): notify, dl, ready, apply, reboot, back up, done.
  const at = emulator.at;
  await at.readUntil('+ADA: "ota","notify","module","');
  const id = (await at.readUntil('"\r\n')).slice(0, -3);
  await at.ok(`AT+ADA="ota","dl","module","${id}"`);
  await at.readUntil(`"${id}","ready"\r\n`, 60000);
  await at.ok(`AT+ADA="ota","apply","module","${id}"`);
  await at.readUntil('PB DONE\r\n', 60000);
  await at.ok('AT+ADA="start"');
  await at.ok('AT+ADA="I"');
  await at.ok('AT+ADA="enable"');
  await at.readUntil(`"${id}","done"\r\n`, 60000);

  // The page polls: wait for what it shows, with a deadline.
  await page.waitForSelector('#count-status:text-is("COMPLETED")', {timeout: 60000});
  assert.equal(await page.textContent('#count-succeeded'), '1');
  assert.equal(await page.textContent('#count-failed'), '0');
  assert.match(await page.textContent('#job-targets'), /succeeded/);
  await screenshot(page, '09-ota-job-completed');
  await page.setViewportSize({width: 390, height: 844});
  await screenshot(page, '10-ota-job-phone');
  await page.setViewportSize({width: 1280, height: 800});
  shared.jobId = jobId;
});

test('another OEM sees none of it, by page or by URL', async () => {
  await signOut(page);
  await signIn(page, service, makerEmail, makerPassword);
  await page.waitForSelector('#create-oem');
  await page.fill('#create-oem #email', 'other@example.com');
  await page.fill('#create-oem #name', 'Other OEM');
  await page.fill('#create-oem #password', oemPassword);
  await page.click('#create-oem button[type=submit]');
  await page.waitForSelector('#new-oem-id');
  await signOut(page);
  await signIn(page, service, 'other@example.com', oemPassword);
  await page.waitForSelector('#upload-key');
  await openNav(page, 'DEVICES');
  await page.waitForSelector('#devices td:text-is("SORRY, NO MATCHING RECORDS FOUND")');
  await page.goto(service.url + '/console/#/devices/' + shared.dsn);
  await page.waitForSelector('#error:text("another OEM")');
  await screenshot(page, '11-other-oem-refused');
  assert.equal((await pageFetch(page, 'GET', '/devices/' + shared.dsn)).status, 403);
  assert.equal((await pageFetch(page, 'GET', '/ota_jobs/' + shared.jobId)).status, 403);
});

test('a change without the CSRF token is refused', async () => {
  const forged = await pageFetch(page, 'POST', '/provision_keys', {body: {public_key: 'x'}});
  assert.equal(forged.status, 403);
  assert.match(forged.body, /CSRF/);
});

test('a wrong password is refused on the login page', async () => {
  await signOut(page);
  await signIn(page, service, oemEmail, 'not-the-password');
  await page.waitForSelector('#error:text("wrong email, password or OEM ID")');
  assert.equal(await page.locator('#login-form').count(), 1);
  await screenshot(page, '12-wrong-password');
});

test('an expired session is refused and the page asks to sign in again', async () => {
  const shortLived = await startAdsSim(['--console-session-idle', '2']);
  const other = await launchBrowser(shortLived);
  try {
    await signIn(other.page, shortLived, makerEmail, makerPassword);
    await other.page.waitForSelector('#create-oem');
    // The session ends 2 s after its last use; nothing to wait on but the clock.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal((await pageFetch(other.page, 'GET', '/session')).status, 401);
    await other.page.reload();
    await other.page.waitForSelector('#login-form');
  } finally {
    await other.close();
    shortLived.stop();
  }
});
