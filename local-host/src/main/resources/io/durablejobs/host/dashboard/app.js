// The dashboard: with the user's API key, polls the host's overview (the key's tenant's jobs in flight,
// queue depths, metrics) and the tenant's ledger and dead letters through the public API. The jobs and
// schedules views read the host's /dashboard/api/* data endpoints, which call the API with the same key and
// mask secret-looking payload fields; cancel and retry (replay) go to the API itself. Every value from the server goes in with textContent (errors come from
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

let openJob = null;

function jobsQuery() {
  const q = new URLSearchParams();
  if ($('filter-status').value) q.set('status', $('filter-status').value);
  if ($('filter-type').value.trim()) q.set('type', $('filter-type').value.trim());
  q.set('limit', '50');
  return q.toString();
}

async function dashboard(path) {
  const r = await fetch(path, { headers: { Authorization: 'Bearer ' + apiKey() } });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function refreshJobs() {
  const r = await dashboard('/dashboard/api/jobs?' + jobsQuery());
  const body = $('jobs');
  body.replaceChildren();
  if (r.status !== 200) {
    $('jobs-note').textContent = (r.body && r.body.detail) || ('HTTP ' + r.status);
    return;
  }
  for (const j of r.body.items) {
    const row = body.insertRow();
    row.dataset.jobId = j.jobId;
    row.className = 'job-row';
    row.style.cursor = 'pointer';
    cell(row, j.jobId);
    cell(row, j.type);
    cell(row, j.status, j.status === 'dead_lettered' ? 'bad' : j.status === 'succeeded' ? 'ok' : '');
    cell(row, j.attempts, 'num');
    cell(row, j.createdAt);
    cell(row, j.nextAttemptAt);
    row.onclick = () => showJob(j.jobId);
  }
  $('jobs-note').textContent = r.body.items.length ? (r.body.nextCursor ? 'newest 50 shown' : '') : 'no jobs match';
}

async function showJob(id) {
  openJob = id;
  const r = await dashboard('/dashboard/api/jobs/' + encodeURIComponent(id));
  $('job-detail').hidden = false;
  $('detail-id').textContent = id;
  const fields = $('detail-fields');
  fields.replaceChildren();
  $('detail-history').replaceChildren();
  $('detail-payload').textContent = '';
  if (r.status !== 200) {
    $('detail-note').textContent = (r.body && r.body.detail) || ('HTTP ' + r.status);
    return;
  }
  const j = r.body;
  const add = (label, value) => {
    if (value === undefined || value === null) return;
    const row = fields.insertRow();
    cell(row, label);
    cell(row, typeof value === 'object' ? JSON.stringify(value) : value);
  };
  add('type', j.type); add('status', j.status); add('attempts', j.attempts); add('created', j.createdAt); add('updated', j.updatedAt);
  add('run at', j.runAt); add('next attempt', j.nextAttemptAt); add('error', j.error); add('progress', j.progress);
  add('result', j.result); add('trace id', j.traceId); add('dead letter', j.deadLetter);
  for (const h of j.history || []) {
    const row = $('detail-history').insertRow();
    cell(row, h.attempt, 'num'); cell(row, h.at); cell(row, h.reason); cell(row, h.error);
  }
  $('detail-payload').textContent = j.payload === undefined || j.payload === null
    ? 'kept only with a dead letter' : JSON.stringify(j.payload, null, 2);
  $('cancel-job').disabled = !j.cancellable;
  $('retry-job').disabled = !j.retryable;
  $('detail-note').textContent = '';
}

async function jobAction(method, path, done) {
  const r = await api(method, path);
  $('detail-note').textContent = r.status < 300 ? done : (r.body && r.body.detail) || ('HTTP ' + r.status);
  if (openJob) await showJob(openJob);
  await refreshJobs();
}

async function refreshSchedules() {
  const r = await dashboard('/dashboard/api/schedules');
  const body = $('schedules');
  body.replaceChildren();
  if (r.status !== 200) {
    $('schedules-note').textContent = (r.body && r.body.detail) || ('HTTP ' + r.status);
    return;
  }
  for (const s of r.body.schedules) {
    const row = body.insertRow();
    row.dataset.scheduleId = s.scheduleId;
    cell(row, s.scheduleId); cell(row, s.cron); cell(row, s.timeZone); cell(row, s.job && s.job.type);
    cell(row, s.status, s.status === 'paused' ? 'warn' : 'ok'); cell(row, s.nextRunAt); cell(row, s.lastJobId);
  }
  $('schedules-note').textContent = r.body.schedules.length ? '' : 'no schedules';
}

$('job-filters').addEventListener('submit', (e) => { e.preventDefault(); refreshJobs(); });
$('close-detail').addEventListener('click', () => { openJob = null; $('job-detail').hidden = true; });
$('cancel-job').addEventListener('click', () => openJob && jobAction('POST', '/v1/jobs/' + encodeURIComponent(openJob) + '/cancel', 'cancel asked'));
$('retry-job').addEventListener('click', () => openJob && jobAction('POST', '/v1/dlq/' + encodeURIComponent(openJob) + '/replay', 'replayed'));

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
    await Promise.all([refreshJobs(), refreshSchedules()]);
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
