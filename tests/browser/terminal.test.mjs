// The console's terminal in a real browser, on a module running in the service's process (sim7600-emu's embedded
// default): the device's OEM types AT+ADA="status" and reads the answer; a second viewer reads only; what was
// typed is in the module's transcript; another OEM's session is refused. Every wait has a deadline.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, test} from 'node:test';

import {launchBrowser, makerEmail, makerPassword, request, screenshot, signIn, signOut,
  startEmbeddedEmulator} from './support.mjs';

const demoOem = '0dfc7900';  // the embedded service's demo OEM, whose device the module is
const oemEmail = 'demo-oem@example.com';
const otherEmail = 'other-oem@example.com';
const password = 'oem-password-1';

let emulator;
let browser;
let page;

before(async () => {
  emulator = await startEmbeddedEmulator();
  browser = await launchBrowser(emulator);
  page = browser.page;
});

after(async () => {
  await browser?.close();
  emulator?.stop();
});

// The terminal's text as its screen-reader rows give it (xterm.js draws on a canvas).
function terminalText(target) {
  return target.evaluate(() => document.querySelector('#terminal .xterm-accessibility-tree')?.textContent || '');
}

async function waitForTerminalText(target, pattern) {
  await target.waitForFunction((source) => new RegExp(source).test(
    document.querySelector('#terminal .xterm-accessibility-tree')?.textContent || ''), pattern.source,
  {timeout: 20000});
}

async function openTerminal(target) {
  await target.goto(emulator.url + '/console/#/devices/' + emulator.dsn);
  await target.click('#open-terminal');
  await target.waitForSelector('#terminal .xterm-accessibility-tree');
}

test('the module maker gives the demo OEM a console account, and makes another OEM', async () => {
  await signIn(page, emulator, makerEmail, makerPassword);
  for (const [email, oemId] of [[oemEmail, demoOem], [otherEmail, 'cccc0003']]) {
    await page.fill('#create-oem #email', email);
    await page.fill('#create-oem #name', 'OEM ' + oemId);
    await page.fill('#create-oem #password', password);
    await page.fill('#create-oem #oem_id', oemId);
    await page.click('#create-oem button[type=submit]');
    await page.waitForSelector(`#new-oem-id:text-is("${oemId}")`);
  }
  await signOut(page);
});

test('the OEM types AT+ADA="status" in the terminal and reads the answer; a second viewer reads only',
  async () => {
    await signIn(page, emulator, oemEmail, password, demoOem);
    await page.waitForSelector('#upload-key');
    await openTerminal(page);
    await page.waitForSelector('#terminal-role:text-is("writer")');

    const second = await browser.context.newPage();  // the same session in another tab
    await openTerminal(second);
    await second.waitForSelector('#terminal-role:text-is("read-only")');

    await page.click('#terminal');
    await page.keyboard.type('AT+ADA="status"');
    await page.keyboard.press('Enter');
    await waitForTerminalText(page, /\+ADA: "status",\d+.*OK/);
    await waitForTerminalText(second, /\+ADA: "status",\d+.*OK/);  // the reader sees the module's output
    await screenshot(page, 'terminal-writer');

    await second.click('#terminal');
    await second.keyboard.type('ATI');
    await second.keyboard.press('Enter');
    await second.waitForSelector('#terminal-notice:has-text("read-only")');
    assert.doesNotMatch(await terminalText(page), /ATI/);  // nothing the reader typed reached the module
    await screenshot(second, 'terminal-reader');

    // What the writer typed is in the module's transcript, as host input.
    assert.match(readFileSync(emulator.transcript, 'utf8'), /Z > AT\+ADA="status"\\r\n/);

    // The writer leaves: the reader takes the keyboard.
    await page.goto(emulator.url + '/console/#/devices');
    await second.waitForSelector('#terminal-role:text-is("writer")');
    await second.close();
    await signOut(page);
  });

test("another OEM's session is refused the terminal", async () => {
  await signIn(page, emulator, otherEmail, password, 'cccc0003');
  await page.waitForSelector('#upload-key');
  const session = JSON.parse(await page.evaluate(() => sessionStorage.getItem('session')));
  // The upgrade as the browser sends it (its session cookie, the console's origin, the CSRF token): 403.
  const cookies = await browser.context.cookies(emulator.url);
  const refused = await request(emulator, 'GET', '/api/v1/console/devices/' + emulator.dsn + '/terminal?csrf=' +
    session.csrf_token, {headers: {Cookie: cookies.map((c) => c.name + '=' + c.value).join('; '),
    Origin: new URL(emulator.url).origin, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ=='}});
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error, "another OEM's device");
  // The browser's own WebSocket: the upgrade fails, and no byte reaches the module.
  const outcome = await page.evaluate(([dsn, csrf]) => new Promise((resolve) => {
    const socket = new WebSocket('wss://' + location.host + '/api/v1/console/devices/' + dsn + '/terminal?csrf=' + csrf);
    socket.onopen = () => resolve('opened');
    socket.onclose = () => resolve('refused');
  }), [emulator.dsn, session.csrf_token]);
  assert.equal(outcome, 'refused');
  await signOut(page);
});
