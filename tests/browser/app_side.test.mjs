// The console's app side (issue 17 item 5) in a real browser: an OEM creates an application (its secret shown once,
// and it works at Ayla's sign-in), sees its end users and which of them owns each device, and an unowned device's
// registration token; another OEM sees none of it.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {admin, launchBrowser, makerEmail, makerPassword, openNav, pageFetch, request, screenshot, signIn, signOut,
  startAdsSim} from './support.mjs';

const oems = [{id: 'a1a1a1a1', email: 'acme@example.com'}, {id: 'b2b2b2b2', email: 'other@example.com'}];
const oemPassword = 'oem-password-1';
const userPassword = 's3cret-pass';

let service;
let browser;
let page;
const shared = {};

before(async () => {
  service = await startAdsSim();
  browser = await launchBrowser(service);
  page = browser.page;
  // The module maker makes both OEMs' console accounts, as on the console's OEM page.
  await signIn(page, service, makerEmail, makerPassword);
  await page.waitForSelector('#create-oem');
  for (const oem of oems) {
    await page.fill('#create-oem #email', oem.email);
    await page.fill('#create-oem #name', 'OEM ' + oem.id);
    await page.fill('#create-oem #password', oemPassword);
    await page.fill('#create-oem #oem_id', oem.id);
    await page.click('#create-oem button[type=submit]');
    await page.waitForSelector(`#oems td:text-is("${oem.id}")`);
  }
  await signOut(page);
  const made = await admin(service, 'POST', `/oems/${oems[0].id}/devices`, {model: 'acmemodel', count: 2});
  assert.equal(made.status, 201);
  shared.dsns = made.body.devices.map((d) => d.dsn);
});

after(async () => {
  await browser?.close();
  service?.stop();
});

test('an OEM creates an application: app_id and app_secret shown once, and they sign a user in', async () => {
  await signIn(page, service, oems[0].email, oemPassword, oems[0].id);
  await page.waitForSelector('#upload-key');
  await openNav(page, 'APPS');
  await page.waitForSelector('#create-app');
  assert.match(await page.textContent('#applications'), /SORRY, NO MATCHING RECORDS FOUND/);
  await page.fill('#create-app #name', 'Acme Home');
  await page.click('#create-app button[type=submit]');
  await page.waitForSelector('#new-app-secret');
  shared.appId = await page.textContent('#new-app-id');
  shared.appSecret = await page.textContent('#new-app-secret');
  assert.match(shared.appSecret, /^[0-9a-f]{32}$/);
  await page.waitForSelector(`#applications code:text-is("${shared.appId}")`);
  // Listed without its secret.
  assert.doesNotMatch(await page.textContent('#app-list'), new RegExp(shared.appSecret));
  const listed = await pageFetch(page, 'GET', '/applications');
  assert.equal(listed.status, 200);
  assert.ok(!listed.body.includes(shared.appSecret));
  await screenshot(page, 'apps-01-created');

  assert.equal((await admin(service, 'POST', '/users', {email: 'ann@example.com', password: userPassword,
    app_id: shared.appId})).status, 201);
  const signedIn = await request(service, 'POST', '/users/sign_in.json', {body: {user: {email: 'ann@example.com',
    password: userPassword, application: {app_id: shared.appId, app_secret: shared.appSecret}}}});
  assert.equal(signedIn.status, 200);
});

test('the OEM sees its end users and which user owns each device', async () => {
  assert.equal((await admin(service, 'POST', '/users', {email: 'bob@example.com', password: userPassword,
    app_id: shared.appId})).status, 201);
  assert.equal((await admin(service, 'PUT', `/devices/${shared.dsns[0]}/owner`, {email: 'ann@example.com'})).status,
    200);
  await openNav(page, 'DEVICES');
  await openNav(page, 'APPS');
  await page.waitForSelector('#end-users td:text-is("ann@example.com")');
  const rows = await page.$$eval('#end-users tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) =>
    td.textContent.trim())));
  assert.deepEqual(rows, [['ann@example.com', shared.appId, shared.dsns[0]],
    ['bob@example.com', shared.appId, '']]);
  await screenshot(page, 'apps-02-end-users');

  await openNav(page, 'DEVICES');
  await page.waitForSelector(`#devices a:text-is("${shared.dsns[1]}")`);
  const owners = await page.$$eval('#devices tbody tr', (trs) => Object.fromEntries(trs.map((tr) =>
    [tr.cells[0].textContent.trim(), tr.cells[6].textContent.trim()])));
  assert.deepEqual(owners, {[shared.dsns[0]]: 'ann@example.com', [shared.dsns[1]]: ''});
  await screenshot(page, 'apps-03-device-owners');
  await signOut(page);
});

test('an unowned device\'s page shows its registration token, and an end user registers the device with it',
  async () => {
    await signIn(page, service, oems[0].email, oemPassword, oems[0].id);
    await page.waitForSelector('#upload-key');
    await openNav(page, 'DEVICES');
    await page.click(`#devices a:text-is("${shared.dsns[1]}")`);
    await page.waitForSelector('#regtoken');
    const shown = (await page.textContent('#regtoken')).trim();
    assert.match(shown, /^[0-9a-f]{6}$/);
    // The same token the admin API (ads-admin registration-token) gives while it lasts.
    const given = await admin(service, 'GET', `/devices/${shared.dsns[1]}/registration_token`);
    assert.equal(given.status, 200);
    assert.equal(given.body.regtoken, shown);
    await screenshot(page, 'apps-04-registration-token');

    // As the user's app does with the token read off the device: sign in, then register by it.
    const signedIn = await request(service, 'POST', '/users/sign_in.json', {body: {user: {email: 'bob@example.com',
      password: userPassword, application: {app_id: shared.appId, app_secret: shared.appSecret}}}});
    assert.equal(signedIn.status, 200);
    const auth = {Authorization: 'auth_token ' + signedIn.body.access_token};
    const registered = await request(service, 'POST', '/apiv1/devices.json',
      {body: {device: {regtoken: shown}}, headers: auth});
    assert.equal(registered.status, 201);
    assert.equal(registered.body.device.dsn, shared.dsns[1]);

    // Owned now: the page names the owner and shows no token.
    await openNav(page, 'DEVICES');
    await page.click(`#devices a:text-is("${shared.dsns[1]}")`);
    await page.waitForSelector('#device-facts dd:text-is("bob@example.com")');
    assert.equal(await page.$('#regtoken'), null);
    await signOut(page);
  });

test('another OEM sees none of the first OEM\'s applications, end users or owners', async () => {
  await signIn(page, service, oems[1].email, oemPassword, oems[1].id);
  await page.waitForSelector('#upload-key');
  await openNav(page, 'APPS');
  await page.waitForSelector('#applications');
  await page.waitForSelector('#end-users');
  assert.match(await page.textContent('#applications'), /SORRY, NO MATCHING RECORDS FOUND/);
  assert.match(await page.textContent('#end-users'), /SORRY, NO MATCHING RECORDS FOUND/);
  for (const target of ['/applications', '/end_users', '/devices']) {
    const answer = await pageFetch(page, 'GET', target);
    assert.equal(answer.status, 200);
    assert.ok(!answer.body.includes(shared.appId), target);
    assert.ok(!answer.body.includes('ann@example.com'), target);
  }
  // Creating an application needs the session's CSRF token, as every console change does.
  assert.equal((await pageFetch(page, 'POST', '/applications', {body: {name: 'Sneaky'}})).status, 403);
  await signOut(page);
});
