// EccoStudio ops console: plain JavaScript over the host's own HTTP APIs (the Durable Functions management API,
// the entity API, /api/ops/* and /metrics). No framework, no CDN: it works offline.
'use strict';

const MGMT = '/runtime/webhooks/durabletask/instances';
const state = {
  key: sessionStorage.getItem('ecco-api-key') || '',
  tokens: [],          // continuation tokens of the pages before the current one
  next: null,          // continuation token of the next page
  selected: null,      // open instance id
  catalog: null,
  entity: null,        // { env, prefix, id }
  autoTimer: null,
  samples: [],         // metric samples for the charts
};

const $ = (id) => document.getElementById(id);

function say(text, isError) {
  const m = $('message');
  m.textContent = text;
  m.className = isError ? 'error' : '';
}

async function call(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
  if (state.key) headers['x-functions-key'] = state.key;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (!response.ok) {
    const detail = body && typeof body === 'object' ? (body.detail || body.title) : text;
    throw new Error(`${response.status} ${detail || response.statusText}`);
  }
  return { response, body };
}

function pretty(value) {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}

function field(obj, name) {
  if (!obj || typeof obj !== 'object') return undefined;
  if (name in obj) return obj[name];
  const pascal = name[0].toUpperCase() + name.slice(1);
  return obj[pascal];
}

function custom(instance) {
  let cs = instance.customStatus;
  if (typeof cs === 'string') { try { cs = JSON.parse(cs); } catch { /* plain text */ } }
  return cs && typeof cs === 'object' ? cs : null;
}

function cell(row, text, header) {
  const c = document.createElement(header ? 'th' : 'td');
  if (header) c.scope = 'row';
  c.textContent = text === undefined || text === null ? '' : String(text);
  row.appendChild(c);
  return c;
}

function localToIso(value) {
  return value ? new Date(value).toISOString() : null;
}

// ---------- tabs (arrow keys move between tabs) ----------
function showTab(tab) {
  document.querySelectorAll('[role=tab]').forEach((t) => {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !selected;
  });
  if (tab.id === 'tab-health') loadHealth();
  if (tab.id === 'tab-entities') loadCatalog();
}

function initTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => showTab(tab));
    tab.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      showTab(next);
    });
  });
}

// ---------- instances ----------
function instanceQuery() {
  const q = new URLSearchParams();
  q.set('top', $('f-top').value || '25');
  const statuses = [...$('f-status').selectedOptions].map((o) => o.value);
  if (statuses.length) q.set('runtimeStatus', statuses.join(','));
  const from = localToIso($('f-from').value);
  const to = localToIso($('f-to').value);
  if (from) q.set('createdTimeFrom', from);
  if (to) q.set('createdTimeTo', to);
  if ($('f-prefix').value.trim()) q.set('instanceIdPrefix', $('f-prefix').value.trim());
  return q;
}

async function loadInstances(token) {
  try {
    const headers = token ? { 'x-ms-continuation-token': token } : {};
    const { response, body } = await call(`${MGMT}?${instanceQuery()}`, { headers });
    state.next = response.headers.get('x-ms-continuation-token');
    $('page-next').disabled = !state.next;
    const type = $('f-type').value;
    const items = (Array.isArray(body) ? body : []).filter((i) => !type || i.name === type);
    items.sort((a, b) => String(b.createdTime).localeCompare(String(a.createdTime)));
    const tbody = $('instances').tBodies[0];
    tbody.replaceChildren();
    for (const i of items) {
      const row = tbody.insertRow();
      const th = cell(row, '', true);
      const link = document.createElement('button');
      link.type = 'button';
      link.className = 'link';
      link.textContent = i.instanceId;
      link.addEventListener('click', () => openInstance(i.instanceId));
      th.appendChild(link);
      cell(row, i.name);
      cell(row, i.runtimeStatus).className = 'status-' + String(i.runtimeStatus).toLowerCase();
      const cs = custom(i);
      cell(row, cs ? field(cs, 'step') : '');
      cell(row, i.createdTime);
      cell(row, i.lastUpdatedTime);
    }
    say(`${items.length} instance(s)`);
  } catch (e) {
    say('Instances: ' + e.message, true);
  }
}

function stepsOf(cs, status) {
  const done = field(cs, 'done') || [];
  const steps = done.map((s) => ({ name: s, state: 'done' }));
  const current = field(cs, 'step');
  if (current && !done.includes(current) && !['completed', 'failed'].includes(current)) {
    steps.push({ name: current, state: status === 'Failed' ? 'failed' : 'current', attempt: field(cs, 'attempt') });
  }
  return steps;
}

async function openInstance(id) {
  state.selected = id;
  try {
    const { body } = await call(`${MGMT}/${encodeURIComponent(id)}?showInput=true&showHistory=true&showHistoryOutput=true`);
    const panel = $('instance-detail');
    panel.hidden = false;
    $('detail-title').textContent = 'Instance ' + id;
    const cs = custom(body);
    const summary = $('detail-summary');
    summary.replaceChildren();
    const add = (k, v) => {
      if (v === undefined || v === null || v === '') return;
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = String(v);
      summary.append(dt, dd);
    };
    add('Type', body.name);
    add('Status', body.runtimeStatus);
    add('Created', body.createdTime);
    add('Updated', body.lastUpdatedTime);
    if (cs) {
      add('Step', field(cs, 'step'));
      add('Attempt', field(cs, 'attempt'));
      add('Last error', field(cs, 'lastError'));
      add('Compensation', field(cs, 'compensation'));
      add('History object', field(cs, 'historyObject'));
    }
    if (body.runtimeStatus === 'Failed') add('Failure', typeof body.output === 'string' ? body.output : pretty(body.output));

    const list = $('detail-steps');
    list.replaceChildren();
    if (cs) {
      const steps = stepsOf(cs, body.runtimeStatus);
      // The failed step is the one the failure names when the status moved on to compensation.
      const failedStep = body.runtimeStatus === 'Failed' ? failedStepOf(body, cs) : null;
      if (failedStep && !steps.some((s) => s.name === failedStep)) steps.push({ name: failedStep, state: 'failed' });
      for (const s of steps) {
        const li = document.createElement('li');
        const state = s.name === failedStep ? 'failed' : s.state;
        li.className = 'step-' + state;
        li.textContent = `${s.name}: ${state}${s.attempt ? ' (attempt ' + s.attempt + ')' : ''}`;
        if (state === 'failed' && field(cs, 'lastError')) li.textContent += ' — ' + field(cs, 'lastError');
        list.appendChild(li);
      }
    }
    $('detail-input').textContent = pretty(body.input);
    $('detail-output').textContent = pretty(body.output);

    const history = $('detail-history').tBodies[0];
    history.replaceChildren();
    const events = body.historyEvents;
    $('detail-history-note').textContent = Array.isArray(events) ? `${events.length} event(s)` : (body.historyEventsUnavailable || 'No history.');
    (events || []).forEach((ev, n) => {
      const row = history.insertRow();
      cell(row, n + 1);
      cell(row, ev.EventType);
      cell(row, ev.Timestamp);
      cell(row, ev.FunctionName || ev.Name || '');
      cell(row, ev.Result !== undefined ? pretty(ev.Result) : (ev.Details || ev.OrchestrationStatus || ''));
    });
    updateActions(body.runtimeStatus);
  } catch (e) {
    say('Instance: ' + e.message, true);
  }
}

function failedStepOf(body, cs) {
  const text = typeof body.output === 'string' ? body.output : JSON.stringify(body.output || '');
  const m = /failed at step ([a-z-]+)/.exec(text) || /at step ([a-z-]+)/.exec(text);
  if (m) return m[1];
  const step = field(cs, 'step');
  return step && step !== 'failed' ? step : null;
}

function updateActions(status) {
  const running = ['Running', 'Pending', 'Suspended'].includes(status);
  document.querySelectorAll('#instance-detail [data-action]').forEach((b) => {
    const a = b.dataset.action;
    b.disabled = (a === 'terminate' && !running) || (a === 'suspend' && status !== 'Running')
      || (a === 'resume' && status !== 'Suspended') || (a === 'purge' && running);
  });
}

async function act(action) {
  const id = state.selected;
  if (!id) return;
  if (!window.confirm(`${action} instance ${id}?`)) return;
  try {
    const reason = encodeURIComponent('ops console');
    const path = action === 'purge'
      ? `${MGMT}/${encodeURIComponent(id)}`
      : `${MGMT}/${encodeURIComponent(id)}/${action}?reason=${reason}`;
    await call(path, { method: action === 'purge' ? 'DELETE' : 'POST' });
    say(`${action}: done for ${id}`);
    if (action === 'purge') {
      $('instance-detail').hidden = true;
      state.selected = null;
    } else {
      await waitAndReopen(id);
    }
    await loadInstances(state.tokens[state.tokens.length - 1]);
  } catch (e) {
    say(`${action}: ${e.message}`, true);
  }
}

async function waitAndReopen(id) {
  // Management actions are asynchronous: re-read a few times so the page shows the new status.
  for (let i = 0; i < 20; i++) {
    await openInstance(id);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function initInstances() {
  $('instance-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    state.tokens = [];
    loadInstances(null);
  });
  $('page-first').addEventListener('click', () => { state.tokens = []; loadInstances(null); });
  $('page-next').addEventListener('click', () => {
    if (!state.next) return;
    state.tokens.push(state.next);
    loadInstances(state.next);
  });
  $('f-auto').addEventListener('change', (e) => {
    clearInterval(state.autoTimer);
    if (e.target.checked) {
      state.autoTimer = setInterval(() => {
        loadInstances(state.tokens[state.tokens.length - 1]);
        if (state.selected && !$('instance-detail').hidden) openInstance(state.selected);
      }, 3000);
    }
  });
  document.querySelectorAll('#instance-detail [data-action]').forEach((b) =>
    b.addEventListener('click', () => act(b.dataset.action)));
}

// ---------- entities ----------
async function loadCatalog() {
  if (state.catalog) return state.catalog;
  try {
    const { body } = await call('/api/ops/catalog');
    state.catalog = body;
    for (const id of ['e-env', 'd-env']) {
      $(id).replaceChildren(...body.environments.map((e) => new Option(e, e)));
    }
    for (const id of ['e-kind', 'd-kind']) {
      $(id).replaceChildren(...body.kinds.map((k) => new Option(`${k.name} (${k.prefix})`, k.prefix)));
    }
    const venture = body.kinds.find((k) => k.prefix === 'ventures');
    if (venture) { $('e-kind').value = 'ventures'; $('d-kind').value = 'ventures'; }
    fillIndices();
    return body;
  } catch (e) {
    say('Catalog: ' + e.message, true);
    return null;
  }
}

function fillIndices() {
  const kind = (state.catalog?.kinds || []).find((k) => k.prefix === $('e-kind').value);
  $('e-index').replaceChildren(new Option('(manifest)', ''), ...(kind?.indices || []).map((i) => new Option(i, i)));
}

function renderEntities(items) {
  const tbody = $('entities').tBodies[0];
  tbody.replaceChildren();
  for (const item of items) {
    const row = tbody.insertRow();
    const th = cell(row, '', true);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = item.id;
    button.addEventListener('click', () => openEntity(item.id));
    th.appendChild(button);
    cell(row, item.updated_at);
    const rest = Object.assign({}, item);
    delete rest.id; delete rest.updated_at;
    cell(row, JSON.stringify(rest));
  }
  say(`${items.length} entit${items.length === 1 ? 'y' : 'ies'}`);
}

async function listEntities(query) {
  try {
    const env = $('e-env').value;
    const kind = $('e-kind').value;
    const { body } = await call(`/api/${env}/${kind}${query ? '?' + query : ''}`);
    renderEntities(body.items || []);
  } catch (e) {
    say('List: ' + e.message, true);
  }
}

async function openEntity(id) {
  const env = $('e-env').value;
  const prefix = $('e-kind').value;
  state.entity = { env, prefix, id };
  $('e-id').value = id;
  const base = `/api/${env}/${prefix}/${encodeURIComponent(id)}`;
  try {
    $('entity-detail').hidden = false;
    $('entity-title').textContent = `${env} / ${prefix} / ${id}`;
    try {
      const { body } = await call(base);
      $('entity-snapshot').textContent = pretty(body);
    } catch (e) {
      $('entity-snapshot').textContent = e.message;
    }
    const { body } = await call(`${base}/history?pageSize=100`);
    const tbody = $('entity-history').tBodies[0];
    tbody.replaceChildren();
    (body.items || []).forEach((item, n) => {
      const row = tbody.insertRow();
      const from = document.createElement('input');
      from.type = 'radio'; from.name = 'diff-from'; from.value = item.updated_at;
      from.setAttribute('aria-label', `compare from ${item.updated_at}`);
      const to = document.createElement('input');
      to.type = 'radio'; to.name = 'diff-to'; to.value = item.updated_at;
      to.setAttribute('aria-label', `compare to ${item.updated_at}`);
      if (n === 0) to.checked = true;
      if (n === 1) from.checked = true;
      row.insertCell().appendChild(from);
      row.insertCell().appendChild(to);
      cell(row, item.updated_at);
      cell(row, item.change);
      cell(row, item.object);
    });
    $('entity-diff').hidden = true;
  } catch (e) {
    say('Entity: ' + e.message, true);
  }
}

async function asOf(when) {
  const { env, prefix, id } = state.entity;
  const { body } = await call(`/api/${env}/${prefix}/${encodeURIComponent(id)}?asOf=${encodeURIComponent(when)}`);
  return body;
}

function flatten(value, path, out) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of Object.keys(value)) flatten(value[k], path ? `${path}.${k}` : k, out);
  } else {
    out[path] = JSON.stringify(value);
  }
  return out;
}

async function diff() {
  const from = document.querySelector('input[name=diff-from]:checked')?.value;
  const to = document.querySelector('input[name=diff-to]:checked')?.value;
  if (!from || !to) { say('Pick a From and a To version.', true); return; }
  try {
    const [a, b] = await Promise.all([asOf(from), asOf(to)]);
    const fa = flatten(a, '', {});
    const fb = flatten(b, '', {});
    const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
    const tbody = $('entity-diff').tBodies[0];
    tbody.replaceChildren();
    for (const k of keys) {
      if (fa[k] === fb[k]) continue;
      const row = tbody.insertRow();
      cell(row, k, true);
      cell(row, fa[k] ?? '(absent)');
      cell(row, fb[k] ?? '(absent)');
    }
    $('entity-diff').hidden = false;
    say(`${tbody.rows.length} field(s) differ between ${from} and ${to}`);
  } catch (e) {
    say('Diff: ' + e.message, true);
  }
}

function initEntities() {
  $('e-kind').addEventListener('change', fillIndices);
  $('entity-pick').addEventListener('submit', (e) => { e.preventDefault(); listEntities(null); });
  $('e-query').addEventListener('click', () => {
    const index = $('e-index').value;
    if (!index) { listEntities(null); return; }
    listEntities(`index=${encodeURIComponent(index)}&key=${encodeURIComponent($('e-key').value)}`);
  });
  $('entity-open').addEventListener('submit', (e) => { e.preventDefault(); if ($('e-id').value.trim()) openEntity($('e-id').value.trim()); });
  $('e-diff').addEventListener('click', diff);
  $('entity-asof').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      $('entity-asof-result').textContent = pretty(await asOf($('e-asof').value.trim()));
    } catch (err) {
      $('entity-asof-result').textContent = err.message;
    }
  });
}

// ---------- health ----------
async function loadHealth() {
  await loadCatalog();
  try {
    const { body } = await call(`${MGMT}?runtimeStatus=Failed&top=20`);
    const tbody = $('failed').tBodies[0];
    tbody.replaceChildren();
    for (const i of (Array.isArray(body) ? body : [])) {
      const cs = custom(i);
      const row = tbody.insertRow();
      cell(row, i.instanceId, true);
      cell(row, failedStepOf(i, cs) || '');
      cell(row, typeof i.output === 'string' ? i.output : pretty(i.output));
      cell(row, i.lastUpdatedTime);
    }
  } catch (e) {
    say('Failed writes: ' + e.message, true);
  }
  try {
    const metrics = parseMetrics(await metricsText());
    $('refused').textContent = String(sum(metrics, 'ecco_pubsub_pushes_refused_total'));
  } catch {
    $('refused').textContent = 'unknown';
  }
}

function initHealth() {
  $('drift').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('drift-report').textContent = 'Checking…';
    try {
      const { body } = await call(`/api/ops/verify/${$('d-env').value}/${$('d-kind').value}`, { method: 'POST' });
      $('drift-report').textContent = body.summary + (body.differences.length ? '\n\n' + body.differences.map((d) => `${d.kind} ${d.id} ${d.object}: ${d.detail}`).join('\n') : '');
    } catch (err) {
      $('drift-report').textContent = err.message;
    }
  });
}

// ---------- live metrics ----------
async function metricsText() {
  const headers = state.key ? { 'x-functions-key': state.key } : {};
  const response = await fetch('/metrics', { headers });
  if (!response.ok) throw new Error(String(response.status));
  return response.text();
}

function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[3]) for (const pair of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return samples;
}

function sum(samples, name) {
  return samples.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0);
}

function buckets(samples, name) {
  const map = new Map();
  for (const s of samples.filter((x) => x.name === name)) {
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    map.set(le, (map.get(le) || 0) + s.value);
  }
  return [...map.entries()].sort((a, b) => a[0] - b[0]);
}

function quantile(q, prev, cur) {
  const deltas = cur.map(([le, c], i) => [le, c - (prev[i] ? prev[i][1] : 0)]);
  const total = deltas.length ? deltas[deltas.length - 1][1] : 0;
  if (total <= 0) return null;
  const target = q * total;
  for (const [le, c] of deltas) if (c >= target) return le;
  return null;
}

function plot(svg, values) {
  const max = Math.max(1e-9, ...values.map((v) => v ?? 0));
  const step = 300 / Math.max(1, values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(78 - ((v ?? 0) / max) * 74).toFixed(1)}`).join(' ');
  svg.replaceChildren();
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points);
  svg.appendChild(line);
}

async function sampleMetrics() {
  if ($('panel-metrics').hidden) return;
  try {
    const samples = parseMetrics(await metricsText());
    const now = Date.now();
    const entry = {
      t: now,
      completed: sum(samples, 'ecco_writes_completed_total'),
      failed: sum(samples, 'ecco_writes_failed_total'),
      buckets: buckets(samples, 'ecco_write_duration_seconds_bucket'),
    };
    const prev = state.samples[state.samples.length - 1];
    state.samples.push(entry);
    if (state.samples.length > 60) state.samples.shift();
    if (prev) {
      entry.rate = (entry.completed - prev.completed) / ((now - prev.t) / 1000);
      entry.p95 = quantile(0.95, prev.buckets, entry.buckets);
    }
    $('m-writes').textContent = (entry.rate ?? 0).toFixed(2);
    $('m-failed').textContent = String(entry.failed);
    $('m-p95').textContent = entry.p95 == null ? 'n/a' : (entry.p95 === Infinity ? '> 60 s' : `≤ ${entry.p95 * 1000} ms`);
    plot($('c-writes'), state.samples.map((s) => s.rate ?? 0));
    plot($('c-failed'), state.samples.map((s) => s.failed));
    plot($('c-p95'), state.samples.map((s) => (s.p95 === Infinity ? null : s.p95)));
  } catch (e) {
    say('Metrics: ' + e.message, true);
  }
}

// ---------- start ----------
document.addEventListener('DOMContentLoaded', () => {
  $('api-key').value = state.key;
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.key = $('api-key').value;
    sessionStorage.setItem('ecco-api-key', state.key);
    state.catalog = null;
    say(state.key ? 'Key set for this tab.' : 'No key.');
    loadInstances(null);
  });
  initTabs();
  initInstances();
  initEntities();
  initHealth();
  setInterval(sampleMetrics, 2000);
  loadInstances(null);
});
