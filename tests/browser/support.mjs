// Shared by the console's browser tests: a real ads-sim and sim7600-emu from the build, an admin-API client, an
// AT port over TCP, and Debian's chromium driven by playwright-core. Every wait has a deadline.
import {execFileSync, spawn} from 'node:child_process';
import {createHash, X509Certificate} from 'node:crypto';
import {mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync} from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const buildDir = process.env.SIM7600_BUILD_DIR || path.join(root, 'build');
export const screenshotDir = path.join(buildDir, 'browser-screenshots');
export const makerEmail = 'maker@ads-sim.local';
export const makerPassword = 'maker-password-1';

const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

export function tempDir(name) { return mkdtempSync(path.join(tmpdir(), name + '-')); }

// Resolves with the first match of `pattern` in what `stream` prints, or rejects after `ms`.
function waitForOutput(stream, pattern, ms, what) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms: ${text}`)), ms);
    stream.on('data', (chunk) => {
      text += chunk;
      const match = text.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}

// ads-sim on an ephemeral port with a known module maker password.
export async function startAdsSim(extraArgs = []) {
  const dir = tempDir('ads-sim-browser');
  writeFileSync(path.join(dir, 'console-password'), makerPassword + '\n', {mode: 0o600});
  const child = spawn(path.join(buildDir, 'bin/ads-sim'), ['--listen', '127.0.0.1:0', '--data-dir', path.join(dir, 'data'),
    '--console-password-file', path.join(dir, 'console-password'), ...extraArgs], {stdio: ['ignore', 'pipe', 'pipe']});
  children.push(child);
  child.stderr.resume();
  const [, url, ca] = await waitForOutput(child.stdout, /ads-sim ready: (\S+) ca (\S+)/, 20000, 'ready line');
  const data = path.join(dir, 'data');
  return {
    url, ca, dir, child,
    adminToken: readFileSync(path.join(data, 'admin-token'), 'utf8').trim(),
    // The browser trusts exactly this server key (Chromium takes no CA file): TLS stays checked.
    spkiPin: createHash('sha256').update(new X509Certificate(readFileSync(path.join(data, 'server.pem')))
      .publicKey.export({type: 'spki', format: 'der'})).digest('base64'),
    stop() { child.kill('SIGTERM'); rmSync(dir, {recursive: true, force: true}); },
  };
}

// One HTTPS request to the service, verified against its CA.
export function request(service, method, target, {body, headers = {}} = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(service.url + target, {
      method, ca: readFileSync(service.ca),
      headers: {...headers, ...(payload ? {'Content-Type': 'application/json'} : {})},
      timeout: 20000,
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : {}}));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

export function admin(service, method, target, body) {
  return request(service, method, '/api/v1' + target, {body, headers: {Authorization: 'Bearer ' + service.adminToken}});
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The module's AT port over TCP: command(line) sends a line and reads its echo and answer up to OK/ERROR.
class AtPort {
  constructor(socket) {
    this.socket = socket;
    this.buffer = '';
    this.waiters = [];
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => { this.buffer += chunk; this.wake(); });
  }

  wake() { this.waiters.splice(0).forEach((w) => w()); }

  // Everything up to and including `text`, removed from the buffer; rejects after `ms`.
  async readUntil(text, ms = 30000) {
    const end = Date.now() + ms;
    for (;;) {
      const at = this.buffer.indexOf(text);
      if (at >= 0) {
        const out = this.buffer.slice(0, at + text.length);
        this.buffer = this.buffer.slice(at + text.length);
        return out;
      }
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no ${JSON.stringify(text)} within ${ms} ms; got ${JSON.stringify(this.buffer)}`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  async command(line, ms = 30000) {
    this.socket.write(line + '\r');
    let text = '';
    for (;;) {
      text += await this.readUntil('\r\n', ms);
      if (/\r\n(OK|ERROR|\+CME ERROR: [^\r]*)\r\n$/.test(text)) return text;
    }
  }

  async ok(line) {
    const answer = await this.command(line);
    if (!answer.endsWith('\r\nOK\r\n')) throw new Error(`${line} answered ${JSON.stringify(answer)}`);
  }

  close() { this.socket.destroy(); }
}

// A real sim7600-emu against `service`, its AT port on TCP, booted (PB DONE read).
export async function startEmulator(service) {
  const dir = tempDir('sim7600-browser');
  mkdirSync(path.join(dir, 'state'));
  const port = await freePort();
  const child = spawn(path.join(buildDir, 'bin/sim7600-emu'), ['--state-dir', path.join(dir, 'state'),
    '--pty-link', path.join(dir, 'tty'), '--boot-ms', '50', '--network', 'auto', '--ads-url', service.url,
    '--ads-ca', service.ca, '--tcp', '127.0.0.1:' + port], {stdio: ['ignore', 'pipe', 'pipe']});
  children.push(child);
  child.stdout.resume();
  child.stderr.resume();
  const end = Date.now() + 20000;
  let socket;
  while (!socket) {
    socket = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(s));
      s.on('error', () => resolve(null));
    });
    if (!socket) {
      if (Date.now() > end) throw new Error('the emulator never served its AT port');
      await new Promise((resolve) => setTimeout(resolve, 50));  // the port is not open yet: try again shortly
    }
  }
  const at = new AtPort(socket);
  // The module answers once booted: ask until it does.
  for (let attempt = 0; ; ++attempt) {
    at.socket.write('AT\r');
    try {
      await at.readUntil('OK\r\n', 1000);
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
  return {at, stop() { at.close(); child.kill('SIGTERM'); rmSync(dir, {recursive: true, force: true}); }};
}

// sim7600-emu with no --ads-url: ads-sim runs in its process (the embedded default), its console password known,
// its traffic kept in a transcript. Resolves once the embedded service has printed its URL and the module's DSN.
export async function startEmbeddedEmulator() {
  const dir = tempDir('sim7600-embedded');
  const state = path.join(dir, 'state');
  mkdirSync(state);
  writeFileSync(path.join(dir, 'console-password'), makerPassword + '\n', {mode: 0o600});
  const transcript = path.join(dir, 'transcript.log');
  const child = spawn(path.join(buildDir, 'bin/sim7600-emu'), ['--state-dir', state, '--pty-link', path.join(dir, 'tty'),
    '--boot-ms', '50', '--network', 'auto', '--console-password-file', path.join(dir, 'console-password'),
    '--transcript', transcript], {stdio: ['ignore', 'pipe', 'pipe']});
  children.push(child);
  child.stdout.resume();
  const [, url, dsn] = await waitForOutput(child.stderr, /embedded device service (\S+) \(DSN (\S+);/, 30000,
    'embedded service line');
  const data = path.join(state, 'ads-sim');
  return {
    url, dsn, transcript, ca: path.join(data, 'ca.pem'),
    spkiPin: createHash('sha256').update(new X509Certificate(readFileSync(path.join(data, 'server.pem')))
      .publicKey.export({type: 'spki', format: 'der'})).digest('base64'),
    stop() { child.kill('SIGTERM'); rmSync(dir, {recursive: true, force: true}); },
  };
}

// Debian's chromium with a fresh profile, trusting only `service`'s server key.
export async function launchBrowser(service, viewport = {width: 1280, height: 800}) {
  const profile = tempDir('chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--ignore-certificate-errors-spki-list=' + service.spkiPin],
  });
  const close = async () => { await context.close(); rmSync(profile, {recursive: true, force: true}); };
  return {context, page: context.pages()[0] || await context.newPage(), close};
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, {recursive: true});
  await page.screenshot({path: path.join(screenshotDir, name + '.png'), fullPage: true});
}

export async function signIn(page, service, email, password, oemId = '') {
  await page.goto(service.url + '/console/#/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.fill('#oem_id', oemId);
  await page.click('#sign-in');
}

export async function signOut(page) {
  await page.click('#logout');
  await page.waitForSelector('#login-form');
}

// What the page's own fetch gets from the console API (cookies included, as a script of the page would send).
export function pageFetch(page, method, target, {body, headers = {}} = {}) {
  return page.evaluate(async ([method, target, body, headers]) => {
    const response = await fetch('/api/v1/console' + target, {method, headers: {...headers,
      ...(body ? {'Content-Type': 'application/json'} : {})}, body: body ? JSON.stringify(body) : undefined});
    return {status: response.status, body: await response.text()};
  }, [method, target, body, headers]);
}

export async function openNav(page, name) {
  await page.click(`#nav-links a:text-is("${name}")`);
}

// The console password of the OEMs oemWithData makes.
export const dataOemPassword = 'bench-password-1';

// An OEM made through the console API (its account `${oemId}@example.com`, password dataOemPassword), its devices
// then added straight to the database (keys are not needed: these devices never connect, and thousands of RSA keys
// would take the run's time): `${oemId}-000001` on, of model `${oemId}model`, the first with a `temperature`
// property of `datapoints` points. Returns the first device's DSN.
export async function oemWithData(service, oemId, devices, datapoints = 0) {
  const login = await request(service, 'POST', '/api/v1/console/login', {body: {email: makerEmail, password: makerPassword}});
  const cookie = login.headers['set-cookie'][0].split(';')[0];
  const made = await request(service, 'POST', '/api/v1/console/oems', {
    body: {email: oemId + '@example.com', name: 'bench', password: dataOemPassword, oem_id: oemId},
    headers: {Cookie: cookie, 'X-CSRF-Token': login.body.csrf_token}});
  if (made.status !== 201) throw new Error('create OEM: ' + JSON.stringify(made.body));
  const first = `${oemId}-000001`;
  execFileSync('sqlite3', [path.join(service.dir, 'data', 'ads.db')], {input: `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${devices})
    INSERT INTO devices(dsn, oem_id, model, public_key, private_key, fw_version, created_at)
      SELECT printf('${oemId}-%06d', i), '${oemId}', '${oemId}model', '-', '-', 'v1', '2026-01-01T00:00:00.000Z' FROM n;
    INSERT INTO properties(device_key, name, base_type, direction, value, updated_at)
      VALUES((SELECT key FROM devices WHERE dsn = '${first}'), 'temperature', 'integer', 'from_device', '20', '');
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${datapoints})
    INSERT INTO datapoints(property_id, value, metadata, created_at)
      SELECT (SELECT id FROM properties WHERE device_key = (SELECT key FROM devices WHERE dsn = '${first}')),
             CAST(20 + i % 17 AS TEXT), '{}', strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + i * 60, 'unixepoch')
      FROM n WHERE ${datapoints} > 0;`});
  return first;
}

// A module OTA job over every device of oemWithData's OEM `oemId`, made through the admin API (as a CI script or
// sim7600-fleet makes one): its id.
export async function moduleJobOver(service, oemId) {
  const image = await admin(service, 'POST', '/images', {type: 'module', model: 'SIMCOM_SIM7600E-L1C',
    version: oemId + ' v2', data_base64: Buffer.from('image bytes').toString('base64')});
  if (image.status !== 201) throw new Error('upload image: ' + JSON.stringify(image.body));
  const job = await admin(service, 'POST', '/ota_jobs', {image_id: image.body.image_id, oem_model: oemId + 'model'});
  if (job.status !== 201) throw new Error('make job: ' + JSON.stringify(job.body));
  return job.body.job_id;
}
