// The dashboard: with the user's API key, polls the host's overview (the key's tenant's jobs in flight,
// queue depths, metrics) and the tenant's ledger and dead letters through the public API. Every value from the server goes in with textContent (errors come from
// downstream systems); the key stays in sessionStorage (this tab only).
'use strict';
const KEY = 'jobsApiKey';
const POLL_MS = 2000;
let previous = null;

const $ = (id) => document.getElementById(id);
const apiKey = () => sessionStorage.getItem(KEY);

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text === undefined || text === null ? '' : String(text);
  if (cls) td.className = cls;
  return td;
}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + apiKey() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

// metrics view fields: "<name>|<dim=value,...>|sum|count|last"
function metricsByType(metrics) {
  const out = {};
  for (const [field, value] of Object.entries(metrics || {})) {
    const [name, dims, kind] = field.split('|');
    const type = (dims.split(',').find((d) => d.startsWith('Type=')) || 'Type=').slice(5);
    if (!type || dims.includes('Reason=')) continue;
    out[type] = out[type] || {};
    out[type][name + '.' + kind] = value;
  }
  return out;
}

function rate(now, before, key, seconds) {
  if (!before || seconds <= 0) return '–';
  const d = (now[key] || 0) - (before[key] || 0);
  return (Math.max(0, d) / seconds).toFixed(1);
}

function renderOverview(o) {
  $('namespace').textContent = 'namespace ' + o.namespace + ' · tenant ' + o.tenant;
  $('in-flight').textContent = o.inFlight === undefined ? '–' : o.inFlight;
  const byType = metricsByType(o.metrics);
  const t = Date.now();
  const seconds = previous ? (t - previous.at) / 1000 : 0;
  const body = $('queues');
  body.replaceChildren();
  for (const q of o.queues || []) {
    const row = body.insertRow();
    row.dataset.queue = q.name;
    cell(row, q.name);
    cell(row, q.role + (q.type ? ' · ' + q.type : ''));
    cell(row, q.ready, 'num' + (q.role === 'dead' && q.ready > 0 ? ' bad' : ''));
    cell(row, q.consumers, 'num');
    const now = byType[q.type] || {};
    const before = previous && previous.byType[q.type];
    cell(row, q.type ? rate(now, before, 'JobsSucceeded.sum', seconds) : '', 'num');
    cell(row, q.type ? rate(now, before, 'JobsRetried.sum', seconds) : '', 'num');
    cell(row, q.type ? rate(now, before, 'JobsDeadLettered.sum', seconds) : '', 'num');
    const n = now['HandlerDuration.count'];
    cell(row, q.type && n ? (now['HandlerDuration.sum'] / n).toFixed(1) : '', 'num');
  }
  previous = { at: t, byType };
  $('status').textContent = (o.brokerError || o.redisError) ? 'degraded: ' + (o.brokerError || o.redisError) : 'updated ' + new Date().toLocaleTimeString();
}

function renderLedger(s) {
  const el = $('ledger');
  el.replaceChildren();
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const h of ['', 'accepted', 'succeeded', 'dead_lettered', 'in_flight']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  }
  const tbody = table.createTBody();
  const add = (label, c) => {
    const row = tbody.insertRow();
    cell(row, label);
    for (const k of ['accepted', 'succeeded', 'dead_lettered', 'in_flight']) cell(row, c[k], 'num');
  };
  add('all types', s);
  for (const [type, c] of Object.entries(s.types || {})) add(type, c);
  el.appendChild(table);
  const note = document.createElement('div');
  note.id = 'ledger-balance';
  note.className = s.balanced ? 'ok' : 'bad';
  note.textContent = s.balanced ? 'balanced: accepted = succeeded + dead_lettered + in_flight' : 'NOT balanced';
  el.appendChild(note);
}

function renderDlq(page) {
  const body = $('dlq');
  body.replaceChildren();
  for (const d of page.items) {
    const row = body.insertRow();
    row.dataset.jobId = d.jobId;
    row.className = 'dlq-row';
    cell(row, d.jobId);
    cell(row, d.type);
    cell(row, d.reason, 'bad');
    cell(row, d.attempts, 'num');
    cell(row, d.lastError);
    cell(row, d.deadLetteredAt);
    const actions = row.insertCell();
    const replay = document.createElement('button');
    replay.textContent = 'Replay';
    replay.className = 'replay';
    replay.onclick = () => act('POST', '/v1/dlq/' + encodeURIComponent(d.jobId) + '/replay', 'replayed');
    const discard = document.createElement('button');
    discard.textContent = 'Discard';
    discard.className = 'discard';
    discard.onclick = () => { if (confirm('Discard dead letter ' + d.jobId + '?')) act('DELETE', '/v1/dlq/' + encodeURIComponent(d.jobId), 'discarded'); };
    actions.append(replay, ' ', discard);
  }
  $('dlq-note').textContent = page.items.length ? (page.nextCursor ? 'more on the next page' : '') : 'no dead letters';
}

async function act(method, path, done) {
  const r = await api(method, path);
  $('dlq-note').textContent = r.status < 300 ? done : (r.body && r.body.detail) || ('HTTP ' + r.status);
  await refreshTenant();
}

async function refreshTenant() {
  if (!apiKey()) return;
  const [stats, dlq] = await Promise.all([api('GET', '/v1/stats'), api('GET', '/v1/dlq?limit=50')]);
  if (stats.status === 401) {
    $('ledger').textContent = 'The API key was refused.';
    return;
  }
  if (stats.status === 200) renderLedger(stats.body);
  if (dlq.status === 200) renderDlq(dlq.body);
}

async function poll() {
  if (!apiKey()) {
    $('status').textContent = 'enter an API key to see the overview';
    return;
  }
  try {
    const r = await fetch('/dashboard/api/overview', { headers: { Authorization: 'Bearer ' + apiKey() } });
    if (r.status === 401) {
      $('status').textContent = 'the API key was refused';
      return;
    }
    renderOverview(await r.json());
    await refreshTenant();
  } catch (e) {
    $('status').textContent = 'host not reachable: ' + e;
  }
}

$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const v = $('api-key').value.trim();
  if (v) sessionStorage.setItem(KEY, v);
  $('api-key').value = '';
  poll();
});
$('forget-key').addEventListener('click', () => { sessionStorage.removeItem(KEY); location.reload(); });
poll();
setInterval(poll, POLL_MS);
