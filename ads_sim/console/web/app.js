// The Ayla FOTA console (note §5.1): a small single-page app over /api/v1/console/. Plain JS, no build step.
// Everything that comes from data is put in the page as text (textContent, never HTML), so stored markup is inert.
'use strict';

const API = '/api/v1/console';
let session = null;  // {email, name, role, oem_id, csrf_token}
let pollTimer = null;
const charts = [];
let terminalSocket = null;  // the device page's terminal, closed when the page changes

// el('td', {class: 'x'}, 'text', node...): an element with attributes and children; strings become text nodes.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== false && value !== undefined && value !== null) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (session && method !== 'GET') headers['X-CSRF-Token'] = session.csrf_token;
  const response = await fetch(API + path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) throw new ApiError(response.status, data.error || response.statusText);
  return data;
}

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message || '';
  box.hidden = !message;
}

// Runs a page action; a lost session goes back to the login page, other errors show above the page.
async function guarded(action) {
  try {
    showError('');
    await action();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && session) {
      session = null;
      sessionStorage.removeItem('session');
      location.hash = '#/login';
      showError('Your session has ended: sign in again.');
      return;
    }
    showError(error.message);
  }
}

function table(id, headers, rows) {
  const body = rows.length
    ? rows.map((cells) => el('tr', {}, cells.map((cell) => el('td', {class: 'wrap'}, cell))))
    : [el('tr', {}, el('td', {colspan: headers.length, class: 'text-center text-muted'},
        'SORRY, NO MATCHING RECORDS FOUND'))];
  return el('div', {class: 'table-responsive'},
    el('table', {id, class: 'table table-sm table-striped align-middle'},
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, body)));
}

function field(label, input) {
  return el('div', {class: 'mb-2'}, el('label', {class: 'form-label', for: input.id}, label), input);
}

function input(id, attrs) {
  return el('input', Object.assign({id, name: id, class: 'form-control'}, attrs || {}));
}

function card(title, ...content) {
  return el('section', {class: 'card mb-3'}, el('div', {class: 'card-header fw-bold'}, title),
    el('div', {class: 'card-body'}, content));
}

function link(href, text) { return el('a', {href}, text); }

// One formatter for every timestamp: Date.toLocaleString builds a new one per call, which a 1,000-row table feels.
const timeFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'short', timeStyle: 'medium'});
function when(iso) { return iso ? timeFormat.format(new Date(iso)) : ''; }

function readFileBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('cannot read the file'));
    reader.readAsDataURL(file);
  });
}

function formValues(form) { return Object.fromEntries(new FormData(form).entries()); }

// --- pages ------------------------------------------------------------------------------------------------------

function loginPage(main) {
  const form = el('form', {id: 'login-form', class: 'card card-body login-card shadow-sm'},
    el('div', {class: 'leaf'}, '\u{1F343}'),
    el('h1', {class: 'h4 text-center mb-3'}, 'Ayla FOTA'),
    field('Email Address *', input('email', {type: 'email', required: true, autocomplete: 'username'})),
    field('Password *', input('password', {type: 'password', required: true, autocomplete: 'current-password'})),
    field('(OPTIONAL) OEM ID', input('oem_id', {autocomplete: 'off'})),
    el('button', {id: 'sign-in', type: 'submit', class: 'btn btn-success w-100'}, 'SIGN IN'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      session = await api('POST', '/login', formValues(form));
      sessionStorage.setItem('session', JSON.stringify(session));
      location.hash = session.role === 'module_maker' ? '#/oems' : '#/keys';
    });
  });
  main.append(form);
}

async function oemsPage(main) {
  const form = el('form', {id: 'create-oem'},
    el('div', {class: 'row g-2'},
      el('div', {class: 'col-md'}, field('Email *', input('email', {type: 'email', required: true}))),
      el('div', {class: 'col-md'}, field('Name *', input('name', {required: true}))),
      el('div', {class: 'col-md'}, field('Password *', input('password', {type: 'password', required: true,
        minlength: 8, autocomplete: 'new-password'}))),
      el('div', {class: 'col-md'}, field('OEM ID (optional)', input('oem_id')))),
    el('button', {type: 'submit', class: 'btn btn-success'}, 'SUBMIT'));
  const created = el('div', {id: 'created-oem', class: 'mt-2'});
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const values = formValues(form);
      if (!values.oem_id) delete values.oem_id;
      const oem = await api('POST', '/oems', values);
      // An OEM the service already had gets an account only: its secret was given when it was made.
      created.replaceChildren(el('div', {class: 'alert alert-success'}, 'OEM ID ', el('strong', {id: 'new-oem-id'},
        oem.oem_id), oem.oem_secret ? [' created. OEM secret (shown once): ', el('code', {}, oem.oem_secret)]
        : ' has a new console account.'));
      form.reset();
      await listOems();
    });
  });
  const list = el('div', {id: 'oem-list'});
  async function listOems() {
    const {oems} = await api('GET', '/oems');
    list.replaceChildren(table('oems', ['OEM ID', 'Name', 'Email'], oems.map((o) => [o.oem_id, o.name, o.email])));
  }
  main.append(card('CREATE OEM', form, created), card('OEM LIST', list));
  await listOems();
}

// Module images (the module maker) or host images (an OEM): upload form and list.
async function imagesPage(main, type) {
  const title = type === 'module' ? 'MODULE IMAGE' : 'HOST IMAGE';
  const form = el('form', {id: 'upload-image'},
    field(type === 'module' ? 'Module Image Model *' : 'Host Image Model *', input('model', {required: true})),
    field('Version *', input('version', {required: true})),
    field('From Version', input('from_version')),
    field('Description', input('description')),
    field('Image File *', input('file', {type: 'file', required: true})),
    el('button', {type: 'submit', class: 'btn btn-success'}, 'UPLOAD'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const values = formValues(form);
      const file = form.querySelector('#file').files[0];
      values.data_base64 = await readFileBase64(file);
      delete values.file;
      await api('POST', '/images', values);
      form.reset();
      await listImages();
    });
  });
  const list = el('div', {id: 'image-list'});
  async function listImages() {
    const {images} = await api('GET', '/images');
    const rows = images.filter((i) => i.type === type).map((i) => [i.model, i.version, i.from_version,
      i.description, i.in_use ? '\u25CF' : '', when(i.uploaded_at)]);
    list.replaceChildren(table('images', ['Model', 'Version', 'From Version', 'Description', 'In Use', 'Upload'],
      rows));
  }
  main.append(card(title, form), card(type === 'module' ? 'MODULE LIST' : 'HOST IMAGE LIST', list));
  await listImages();
}

async function keysPage(main) {
  const form = el('form', {id: 'upload-key'},
    field('Public Key', el('textarea', {id: 'public_key', name: 'public_key', class: 'form-control font-monospace',
      rows: 8, required: true, placeholder: '-----BEGIN PUBLIC KEY-----'})),
    el('div', {class: 'd-flex gap-2'}, el('button', {type: 'submit', class: 'btn btn-success'}, 'SUBMIT'),
      el('button', {type: 'reset', class: 'btn btn-outline-secondary'}, 'RESET')));
  const list = el('div', {id: 'key-list'});
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await api('POST', '/provision_keys', formValues(form));
      form.reset();
      await listKeys();
    });
  });
  async function listKeys() {
    const {provision_keys: keys} = await api('GET', '/provision_keys');
    list.replaceChildren(table('keys', ['OEM ID', 'Provision Key', 'Public Key', 'Count', 'Active'],
      keys.map((k) => [k.oem_id, el('code', {class: 'key-id'}, k.key_id), el('pre', {class: 'key'}, k.public_key),
        String(k.dsns_reserved), k.active ? '\u25CF' : ''])));
  }
  main.append(card('UPLOAD PUBLIC KEY  \u2014  OEM ' + session.oem_id, form), card('KEY LIST', list));
  await listKeys();
}

async function modelsPage(main) {
  const {models} = await api('GET', '/models');
  main.append(card('OEM MODELS', table('models', ['OEM Model', 'Devices', 'Device host name (DSN cname)'],
    models.map((m) => [m.model, String(m.devices), el('code', {}, m.host_name)]))));
}

// The OEM's applications (its apps' app_id and app_secret for Ayla's user service) and end users.
async function appsPage(main) {
  const form = el('form', {id: 'create-app'},
    field('Application Name *', input('name', {required: true, maxlength: 128})),
    el('button', {type: 'submit', class: 'btn btn-success'}, 'CREATE'));
  const created = el('div', {id: 'created-app', class: 'mt-2'});
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const app = await api('POST', '/applications', formValues(form));
      created.replaceChildren(el('div', {class: 'alert alert-success'}, 'Application ', el('strong', {}, app.name),
        ': app_id ', el('code', {id: 'new-app-id'}, app.app_id), ', app_secret (shown once) ',
        el('code', {id: 'new-app-secret'}, app.app_secret)));
      form.reset();
      await listApps();
    });
  });
  const apps = el('div', {id: 'app-list'});
  const users = el('div', {id: 'end-user-list'});
  async function listApps() {
    const [{applications}, {end_users: endUsers}] = await Promise.all([api('GET', '/applications'),
      api('GET', '/end_users')]);
    apps.replaceChildren(table('applications', ['Name', 'App ID'], applications.map((a) => [a.name,
      el('code', {}, a.app_id)])));
    users.replaceChildren(table('end-users', ['Email', 'Signed up with', 'Devices'], endUsers.map((u) => [u.email,
      el('code', {}, u.app_id), u.devices.map((dsn) => link('#/devices/' + encodeURIComponent(dsn), dsn + ' '))])));
  }
  main.append(card('CREATE APPLICATION  \u2014  OEM ' + session.oem_id, form, created), card('APPLICATIONS', apps),
    card('END USERS', users));
  await listApps();
}

function deviceState(d) { return d.listening ? 'listening' : d.connected ? 'connected' : 'offline'; }

async function devicesPage(main) {
  const {devices} = await api('GET', '/devices');
  main.append(card('DEVICES', table('devices', ['DSN', 'Model', 'State', 'Firmware', 'Template', 'Last seen',
    'Owner'], devices.map((d) => [link('#/devices/' + encodeURIComponent(d.dsn), d.dsn), d.model, deviceState(d),
    d.fw_version, d.template_version, when(d.last_seen), d.owner || '']))));
}

// A script or stylesheet loaded once, on first use: the pages that do not need it paint without parsing it.
const loaded = {};
function loadOnce(tag, attrs, name) {
  loaded[name] ||= new Promise((resolve, reject) => {
    const node = el(tag, attrs);
    node.addEventListener('load', resolve);
    node.addEventListener('error', () => reject(new Error('cannot load ' + name)));
    document.head.append(node);
  });
  return loaded[name];
}
// Chart.js is loaded on the first plot only.
function loadChart() { return loadOnce('script', {src: 'chart.min.js'}, 'chart.min.js'); }
function loadXterm() {
  return Promise.all([loadOnce('link', {rel: 'stylesheet', href: 'xterm.css'}, 'xterm.css'),
    loadOnce('script', {src: 'xterm.js'}, 'xterm.js')]);
}

function plotDatapoints(canvas, name, points) {
  const data = points.filter((p) => typeof p.value === 'number')
    .map((p) => ({x: Date.parse(p.created_at), y: p.value}));
  charts.push(new Chart(canvas, {
    type: 'line',
    data: {datasets: [{label: name, data, borderColor: '#198754', pointRadius: 0, borderWidth: 1.5,
      stepped: true}]},
    options: {
      animation: false, parsing: false, normalized: true, maintainAspectRatio: false,
      plugins: {decimation: {enabled: true, algorithm: 'lttb', samples: 500}},
      scales: {x: {type: 'linear', ticks: {maxTicksLimit: 6, callback: (v) => new Date(v).toLocaleTimeString()}}},
    },
  }));
  return data.length;
}

// The device's AT port in the browser, when its module runs in the service's process: one viewer at a time types
// (the role the service gives), the others watch. Module bytes are Latin-1 as on a UART.
function terminalCard(device) {
  if (!device.terminal) {
    return card('TERMINAL', el('div', {id: 'terminal-unavailable', class: 'text-muted'},
      'Not available: this device\'s module does not run in the service\'s process.'));
  }
  const screen = el('div', {id: 'terminal', class: 'terminal-screen'});
  const role = el('span', {id: 'terminal-role', class: 'badge bg-secondary'}, 'closed');
  const notice = el('div', {id: 'terminal-notice', class: 'small text-muted'});
  const open = el('button', {id: 'open-terminal', type: 'button', class: 'btn btn-sm btn-success'}, 'OPEN TERMINAL');
  open.addEventListener('click', () => guarded(async () => {
    await loadXterm();
    open.disabled = true;
    const term = new Terminal({cols: 100, rows: 24, screenReaderMode: true});
    term.open(screen);
    const url = 'wss://' + location.host + API + '/devices/' + encodeURIComponent(device.dsn) + '/terminal?csrf=' +
      encodeURIComponent(session.csrf_token);
    const socket = new WebSocket(url);
    terminalSocket = socket;
    socket.binaryType = 'arraybuffer';
    const latin1 = new TextDecoder('latin1');
    socket.addEventListener('open', () => { role.textContent = 'connected'; term.focus(); });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return term.write(latin1.decode(event.data));
      const message = JSON.parse(event.data);
      if (message.role) {
        role.textContent = message.role === 'writer' ? 'writer' : 'read-only';
        role.className = 'badge ' + (message.role === 'writer' ? 'bg-success' : 'bg-warning text-dark');
      }
      if (message.refused) notice.textContent = message.refused;
    });
    socket.addEventListener('close', (event) => {
      role.textContent = 'closed';
      role.className = 'badge bg-secondary';
      notice.textContent = 'Closed' + (event.reason ? ': ' + event.reason : ' (refused or lost)');
      open.disabled = false;
    });
    const encoder = new TextEncoder();
    term.on('data', (data) => { if (socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(data)); });
  }));
  return card('TERMINAL', el('div', {class: 'd-flex gap-2 align-items-center mb-2'}, open, role, notice), screen);
}

async function devicePage(main, dsn) {
  const device = await api('GET', '/devices/' + encodeURIComponent(dsn));
  const plot = el('div', {class: 'plot'}, el('canvas', {id: 'plot'}));
  const plotTitle = el('div', {id: 'plot-title', class: 'small text-muted'}, 'Choose a property to plot.');
  async function showPlot(name) {
    const [{datapoints}] = await Promise.all([api('GET', '/devices/' + encodeURIComponent(dsn) + '/properties/' +
      encodeURIComponent(name) + '/datapoints'), loadChart()]);
    charts.splice(0).forEach((c) => c.destroy());
    plot.replaceChildren(el('canvas', {id: 'plot'}));
    const count = plotDatapoints(plot.firstChild, name, datapoints);
    plotTitle.textContent = name + ': ' + count + ' numeric datapoints of ' + datapoints.length;
  }
  function setter(property) {
    if (property.direction !== 'to_device') return '';
    const value = el('input', {class: 'form-control form-control-sm', 'aria-label': 'new value of ' + property.name});
    const form = el('form', {class: 'd-flex gap-1 set-property'}, value,
      el('button', {type: 'submit', class: 'btn btn-sm btn-success'}, 'SET'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      guarded(async () => {
        const typed = property.base_type === 'string' ? value.value : JSON.parse(value.value);
        await api('PUT', '/devices/' + encodeURIComponent(dsn) + '/properties/' + encodeURIComponent(property.name),
          {value: typed});
        await route();
      });
    });
    return form;
  }
  const rows = device.properties.map((p) => [
    el('a', {href: '#', onclick: (e) => { e.preventDefault(); guarded(() => showPlot(p.name)); }}, p.name),
    p.base_type, p.direction, typeof p.value === 'string' ? p.value : JSON.stringify(p.value),
    when(p.data_updated_at), setter(p)]);
  main.append(
    card('DEVICE ' + device.dsn,
      el('dl', {class: 'row mb-0', id: 'device-facts'},
        ['Model', device.model, 'State', deviceState(device), 'Firmware', device.fw_version,
          'Template', device.template_version, 'Last seen', when(device.last_seen), 'Owner', device.owner || '',
          'Registration token', device.regtoken ? el('code', {id: 'regtoken'}, device.regtoken.token) : '']
          .flatMap((v, i) => i % 2 ? [el('dd', {class: 'col-sm-9'}, v)] : [el('dt', {class: 'col-sm-3'}, v)]))),
    terminalCard(device),
    card('PROPERTIES', table('properties', ['Name', 'Type', 'Direction', 'Value', 'Updated', 'Set'], rows)),
    card('DATAPOINTS', plotTitle, plot));
  const numeric = device.properties.find((p) => p.base_type !== 'string');
  if (numeric) await showPlot(numeric.name);
}

// OTA jobs of one image type: create (choose an image, filter by OEM model, preview) and the list.
async function otaPage(main, type) {
  const {images} = await api('GET', '/images');
  const choices = images.filter((i) => i.type === type);
  const imageSelect = el('select', {id: 'image_id', name: 'image_id', class: 'form-select', required: true},
    el('option', {value: ''}, 'Select...'),
    choices.map((i) => el('option', {value: i.image_id}, i.model + ' \u2014 ' + i.version)));
  const form = el('form', {id: 'create-job'},
    field(type === 'module' ? 'Module Image Version' : 'Host Image Version', imageSelect),
    field('Filter OEM Model', input('oem_model', {required: true})),
    field('Description', input('description')),
    el('div', {class: 'd-flex gap-2'},
      el('button', {id: 'preview', type: 'button', class: 'btn btn-outline-success'}, 'PREVIEW'),
      el('button', {id: 'create', type: 'submit', class: 'btn btn-success'}, 'CREATE OTA JOB'),
      el('button', {type: 'reset', class: 'btn btn-outline-secondary'}, 'RESET')));
  const previewBox = el('div', {id: 'preview-list', class: 'mt-2'});
  const jobRequest = () => {
    const values = formValues(form);
    return {image_id: Number(values.image_id), oem_model: values.oem_model, description: values.description};
  };
  form.querySelector('#preview').addEventListener('click', () => guarded(async () => {
    const {devices} = await api('POST', '/ota_jobs/preview', jobRequest());
    previewBox.replaceChildren(el('div', {class: 'small'}, devices.length + ' matching device(s)'),
      table('preview', ['DSN', 'Model', 'Firmware'], devices.map((d) => [d.dsn, d.model, d.fw_version])));
  }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      await api('POST', '/ota_jobs', jobRequest());
      form.reset();
      previewBox.replaceChildren();
      await listJobs();
    });
  });
  const list = el('div', {id: 'job-list'});
  async function listJobs() {
    const {ota_jobs: jobs} = await api('GET', '/ota_jobs');
    list.replaceChildren(table('jobs', ['Action', 'ID', 'Status', 'OEM Model', 'Module Model', 'Module Version',
      'Device Total', 'Processing', 'Succeed', 'Failed', 'Started At'],
    jobs.filter((j) => j.image_type === type).map((j) => [
      j.status === 'none'
        ? el('button', {class: 'btn btn-sm btn-success start-job', 'data-job': j.job_id,
          onclick: () => guarded(async () => { await api('POST', '/ota_jobs/' + j.job_id + '/start'); await listJobs(); })},
        'start')
        : '',
      link('#/ota/' + j.job_id, String(j.job_id)), j.status.toUpperCase(), j.oem_model, j.module_model,
      j.module_version, String(j.total), String(j.processing), String(j.succeeded), String(j.failed),
      when(j.started_at)])));
  }
  main.append(card('CREATE OTA JOB  \u2014  OEM ' + session.oem_id, form, previewBox),
    card(type === 'module' ? 'FOTA OTA LIST' : 'HOST OTA LIST', list));
  await listJobs();
}

// A job's counters and a page of its devices (a job may target 10,000): polled while it runs, the page kept.
const jobDevicesPerPage = 100;
async function jobPage(main, id) {
  const status = el('div', {id: 'job-status', class: 'row text-center g-2 mb-2'});
  const devices = el('div', {id: 'job-devices'});
  const title = el('div', {id: 'job-title', class: 'mb-2'});
  let shown = 1;  // the device page on screen
  const range = el('span', {id: 'job-range', class: 'me-2 small'});
  const turn = (by) => guarded(async () => { shown += by; await refresh(); });
  const previous = el('button', {type: 'button', id: 'job-previous', class: 'btn btn-sm btn-outline-secondary me-1',
    onclick: () => turn(-1)}, '\u2039 Previous');
  const next = el('button', {type: 'button', id: 'job-next', class: 'btn btn-sm btn-outline-secondary',
    onclick: () => turn(1)}, 'Next \u203a');
  // The pager above the table, where it is seen without scrolling a page of 100 rows.
  main.append(card('OTA JOB ' + id, title, status, el('div', {class: 'd-flex align-items-center mb-2'},
    range, previous, next), devices));
  async function refresh() {
    const job = await api('GET', '/ota_jobs/' + encodeURIComponent(id) + '?page=' + shown + '&per_page=' +
      jobDevicesPerPage);
    const first = (shown - 1) * jobDevicesPerPage;
    range.textContent = job.total ? `Devices ${first + 1}\u2013${first + job.devices.length} of ${job.total}`
      : 'No devices';
    previous.disabled = shown <= 1;
    next.disabled = first + job.devices.length >= job.total;
    title.replaceChildren(el('div', {}, job.module_model + ' \u2014 ' + job.module_version),
      el('div', {class: 'text-muted small', id: 'job-description'}, job.description));
    status.replaceChildren(...[['Status', job.status.toUpperCase(), 'status'], ['Device Total', job.total, 'total'],
      ['Processing', job.processing, 'processing'], ['Succeed', job.succeeded, 'succeeded'],
      ['Failed', job.failed, 'failed']].map(([label, value, key]) => el('div', {class: 'col'},
      el('div', {class: 'counter', id: 'count-' + key}, String(value)), el('div', {class: 'small'}, label))));
    devices.replaceChildren(table('job-targets', ['DSN', 'Firmware', 'Progress'],
      job.devices.map((d) => [d.dsn, d.fw_version, d.state])));
    return job.status;
  }
  // Live while devices download: poll until the job completes or the page changes.
  const tick = () => guarded(async () => {
    if ((await refresh()) !== 'completed') pollTimer = setTimeout(tick, 1000);
  });
  await refresh().then((s) => { if (s !== 'completed') pollTimer = setTimeout(tick, 1000); });
}

// --- navigation -------------------------------------------------------------------------------------------------

const makerPages = [['#/oems', 'OEM'], ['#/images', 'MODULE IMAGE']];
const oemPages = [['#/keys', 'PROVISION KEY'], ['#/models', 'MODELS'], ['#/devices', 'DEVICES'], ['#/ota', 'OTA JOB'],
  ['#/host-images', 'HOST IMAGE'], ['#/host-ota', 'HOST OTA JOB'], ['#/apps', 'APPS']];

function renderNav() {
  const nav = document.getElementById('nav');
  nav.hidden = !session;
  if (!session) return;
  const pages = session.role === 'module_maker' ? makerPages : oemPages;
  document.getElementById('nav-links').replaceChildren(...pages.map(([href, text]) =>
    el('a', {href, class: 'btn btn-sm btn-outline-light' + (location.hash.startsWith(href) ? ' active' : '')}, text)));
  document.getElementById('who').textContent =
    session.email + (session.oem_id ? ' \u2014 OEM ' + session.oem_id : '');
}

async function route() {
  clearTimeout(pollTimer);
  terminalSocket?.close();
  terminalSocket = null;
  charts.splice(0).forEach((c) => c.destroy());
  const main = document.getElementById('main');
  main.replaceChildren();
  const [, page, arg] = (location.hash || '#/').split('/');
  if (!session || page === 'login') {
    renderNav();
    return loginPage(main);
  }
  renderNav();
  const maker = session.role === 'module_maker';
  const pages = maker
    ? {oems: () => oemsPage(main), images: () => imagesPage(main, 'module')}
    : {keys: () => keysPage(main), models: () => modelsPage(main),
      devices: () => (arg ? devicePage(main, decodeURIComponent(arg)) : devicesPage(main)),
      ota: () => (arg ? jobPage(main, decodeURIComponent(arg)) : otaPage(main, 'module')),
      'host-images': () => imagesPage(main, 'host'), 'host-ota': () => otaPage(main, 'host'),
      apps: () => appsPage(main)};
  const show = pages[page] || pages[maker ? 'oems' : 'keys'];
  await guarded(show);
}

document.getElementById('logout').addEventListener('click', () => guarded(async () => {
  await api('POST', '/logout');
  session = null;
  sessionStorage.removeItem('session');
  location.hash = '#/login';
}));

window.addEventListener('hashchange', route);

// A reload keeps the tab's session details, so the page's data and the session check load side by side; the
// check corrects them (a session that ended leads to the login page, as any 401 does).
(async () => {
  const remembered = sessionStorage.getItem('session');
  const check = api('GET', '/session').then((current) => current, () => null);
  if (remembered) {
    session = JSON.parse(remembered);
    route();
  }
  const assumed = session;
  const current = await check;
  if (remembered && (session !== assumed || JSON.stringify(current) === remembered)) return;  // nothing to correct
  session = current;
  if (current) sessionStorage.setItem('session', JSON.stringify(current));
  else sessionStorage.removeItem('session');
  await route();
})();
