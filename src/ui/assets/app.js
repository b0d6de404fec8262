// The dashboard: talks to the same server's API with the browser's credentials (the reverse
// proxy in front sets the user header). Plain DOM code, no framework, no external requests.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const state = { subscriptions: [], selected: null, timer: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  const text = await resp.text();
  if (!resp.ok) {
    let message = text;
    try { message = JSON.parse(text).message; } catch (e) { /* not JSON: show as is */ }
    throw new Error(`${resp.status}: ${message}`);
  }
  return text ? JSON.parse(text) : null;
}

function showStatus(message, isError = false) {
  const s = $('#status');
  s.textContent = message;
  s.className = isError ? 'error' : '';
}

async function loadSubscriptions() {
  try {
    state.subscriptions = await api('GET', '/eventmatch');
    renderSubscriptions();
  } catch (e) {
    showStatus(`Could not load subscriptions: ${e.message}`, true);
  }
}

function renderSubscriptions() {
  const body = $('#subscriptions tbody');
  body.replaceChildren();
  $('#no-subscriptions').hidden = state.subscriptions.length > 0;
  for (const s of state.subscriptions) {
    const enabled = s.disabled === null;
    const stateCell = el('td', {}, el('span', { class: enabled ? 'state-enabled' : 'state-disabled' },
      enabled ? 'enabled' : 'disabled'));
    if (!enabled && s.error) stateCell.append(el('div', { class: 'error' }, s.error));
    const actions = el('td', {},
      el('button', { type: 'button', 'data-action': 'deliveries', onclick: () => selectSubscription(s) }, 'Deliveries'),
      el('button', { type: 'button', 'data-action': 'edit', onclick: () => editSubscription(s) }, 'Edit'),
      el('button', { type: 'button', 'data-action': 'toggle', onclick: () => toggleSubscription(s) }, enabled ? 'Disable' : 'Enable'),
      el('button', { type: 'button', 'data-action': 'delete', onclick: () => deleteSubscription(s) }, 'Delete'));
    body.append(el('tr', { 'data-uuid': s.uuid },
      el('td', {}, s.name), el('td', {}, el('code', {}, s.jsonpath)),
      el('td', {}, el('code', {}, s.target_url)), stateCell, actions));
  }
}

function parseJsonField(form, name) {
  const text = form.elements[name].value.trim() || '{}';
  try { return JSON.parse(text); } catch (e) { throw new Error(`${name} is not valid JSON: ${e.message}`); }
}

function resetEditor() {
  const form = $('#editor');
  form.reset();
  form.elements.uuid.value = '';
  $('#editor-title').textContent = 'New subscription';
  $('#save').textContent = 'Create';
  $('#cancel-edit').hidden = true;
}

function editSubscription(s) {
  const form = $('#editor');
  form.elements.uuid.value = s.uuid;
  form.elements.name.value = s.name;
  form.elements.jsonpath.value = s.jsonpath;
  form.elements.target_url.value = s.target_url;
  form.elements.extensions.value = JSON.stringify(s.extensions);
  form.elements.auth.value = JSON.stringify(s.auth);
  $('#editor-title').textContent = `Edit ${s.name}`;
  $('#save').textContent = 'Save';
  $('#cancel-edit').hidden = false;
  form.scrollIntoView();
}

async function saveSubscription(event) {
  event.preventDefault();
  const form = event.target;
  try {
    const body = {
      name: form.elements.name.value,
      jsonpath: form.elements.jsonpath.value,
      target_url: form.elements.target_url.value,
      extensions: parseJsonField(form, 'extensions'),
      auth: parseJsonField(form, 'auth'),
    };
    const uuid = form.elements.uuid.value;
    const saved = uuid ? await api('PUT', `/eventmatch/${uuid}`, body) : await api('POST', '/eventmatch', body);
    showStatus(`${uuid ? 'Saved' : 'Created'} ${saved.name} (${saved.uuid})`);
    resetEditor();
    await loadSubscriptions();
  } catch (e) {
    showStatus(e.message, true);
  }
}

async function toggleSubscription(s) {
  try {
    const body = s.disabled === null
      ? { disabled: new Date().toISOString().replace('Z', '').padEnd(26, '0').slice(0, 26), error: 'disabled from the dashboard' }
      : { disabled: null, error: null };
    await api('PUT', `/eventmatch/${s.uuid}`, body);
    showStatus(`${s.disabled === null ? 'Disabled' : 'Enabled'} ${s.name}`);
    await loadSubscriptions();
  } catch (e) {
    showStatus(e.message, true);
  }
}

async function deleteSubscription(s) {
  if (!window.confirm(`Delete subscription ${s.name}?`)) return;
  try {
    await api('DELETE', `/eventmatch/${s.uuid}`);
    showStatus(`Deleted ${s.name}`);
    if (state.selected && state.selected.uuid === s.uuid) selectSubscription(null);
    await loadSubscriptions();
  } catch (e) {
    showStatus(e.message, true);
  }
}

async function runTest(event) {
  event.preventDefault();
  const form = event.target;
  const out = $('#test-result');
  const rows = $('#test-results tbody');
  rows.replaceChildren();
  out.hidden = false;
  try {
    let doc;
    try { doc = JSON.parse(form.elements.event.value); } catch (e) { throw new Error(`the event is not valid JSON: ${e.message}`); }
    const r = await api('POST', '/eventmatch/test', { jsonpath: form.elements.jsonpath.value, event: doc });
    let summary = r.matches ? `Matches: selects ${r.results.length} value(s).` : 'Does not match: selects nothing.';
    if (r.error) summary += ` Evaluation error: ${r.error}`;
    $('#test-summary').textContent = summary;
    $('#test-summary').className = r.matches ? '' : 'error';
    for (const m of r.results) {
      rows.append(el('tr', {}, el('td', {}, el('code', {}, m.path)), el('td', {}, el('pre', {}, JSON.stringify(m.value, null, 2)))));
    }
  } catch (e) {
    $('#test-summary').textContent = e.message;
    $('#test-summary').className = 'error';
  }
}

function selectSubscription(s) {
  state.selected = s;
  clearInterval(state.timer);
  $('#deliveries-section').hidden = !s;
  if (!s) return;
  $('#deliveries-name').textContent = s.name;
  loadDeliveries();
  state.timer = setInterval(loadDeliveries, 2000);
}

function eventTitle(e) {
  if (!e || typeof e !== 'object') return 'event (purged)';
  const type = e.type || e.eventType || 'event';
  const id = e.id || e.eventID || '';
  return `${type} ${id}`.trim();
}

function renderDelivery(d) {
  const attempts = el('table', { class: 'attempts' },
    el('thead', {}, el('tr', {}, ...['#', 'Started (UTC)', 'Duration', 'Policy', 'Target', 'Response / error'].map((h) => el('th', {}, h)))));
  const tbody = el('tbody');
  for (const a of d.attempts) {
    tbody.append(el('tr', {},
      el('td', {}, a.number), el('td', {}, a.started), el('td', {}, `${a.duration_ms.toFixed(1)} ms`),
      el('td', {}, a.policy_status ?? '—'), el('td', { class: 'target-status' }, a.target_status ?? '—'),
      el('td', {}, el('pre', {}, a.error || a.target_body || a.policy_body || ''))));
  }
  attempts.append(tbody);
  const next = d.next_attempt_at ? ` · next attempt ${d.next_attempt_at}` : '';
  return el('div', { class: 'delivery', 'data-uuid': d.uuid, 'data-state': d.state },
    el('h3', {}, eventTitle(d.event), ' — ', el('span', { class: `state-${d.state}` }, d.state)),
    el('div', { class: 'hint' }, `received ${d.created} · event ${d.event_uuid} · ${d.attempt_count} attempt(s)${next}`),
    el('details', {}, el('summary', {}, 'Event'), el('pre', {}, JSON.stringify(d.event, null, 2))),
    attempts);
}

async function loadDeliveries() {
  const s = state.selected;
  if (!s) return;
  try {
    const list = await api('GET', `/eventmatch/${s.uuid}/deliveries`);
    if (state.selected !== s) return;
    $('#no-deliveries').hidden = list.length > 0;
    $('#deliveries').replaceChildren(...list.map(renderDelivery));
  } catch (e) {
    showStatus(`Could not load deliveries: ${e.message}`, true);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#editor').addEventListener('submit', saveSubscription);
  $('#cancel-edit').addEventListener('click', resetEditor);
  $('#tester').addEventListener('submit', runTest);
  loadSubscriptions();
});
