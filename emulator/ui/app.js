// The bedrock-emulator inspector: plain JavaScript over the admin API (/_emulator), no
// framework and no build step. It reads:
//   GET  requests/summary?…      the list, newest first, long-polled with after=&wait=
//   GET  requests/{seq}          one entry, opened
//   POST scripts/rule            a script rule made from an entry (YAML)
//   POST scripts?append=true     that rule loaded into the emulator
//   GET  scripts, cassettes, guardrails, prompts   the side panels, read-only
// Everything shown of a request or answer goes through textContent, never innerHTML.

const api = new URL('../', location.href); // the page is at /_emulator/ui/
const ROW = 28; // px, one list row; style.css's --row
const PAGE = 200; // summaries asked for at first
const MAX_PAGE = 1000; // the most the summary endpoint answers at once
const WAIT = '25s'; // how long one long poll waits

// ---- small helpers -------------------------------------------------------------------

// h makes an element: h('a', {href: x, class: 'y', onclick: f}, 'text', child, …).
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v); // onclick: …
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const $ = (id) => document.getElementById(id);

function fmtTime(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return '';
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function fmtDuration(ns) {
  if (!ns && ns !== 0) return '';
  const ms = ns / 1e6;
  if (ms < 1) return `${(ns / 1e3).toFixed(0)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1 << 20)).toFixed(1)} MB`;
}

// base64Bytes is how many bytes a base64 string decodes to.
function base64Bytes(s) {
  if (typeof s !== 'string') return 0;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
}

function decodeBase64(s) {
  try {
    const bin = atob(s);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return null;
  }
}

// shortJSON is v pretty-printed, with strings longer than max cut (base64 images would
// otherwise fill the screen).
function shortJSON(v, max = 400) {
  return JSON.stringify(v, (_, x) => (typeof x === 'string' && x.length > max ? `${x.slice(0, 80)}… (${x.length} chars)` : x), 2);
}

function jsonBlock(v, cls = '') {
  return h('pre', { class: `json ${cls}` }, shortJSON(v));
}

function collapsed(summary, body, open = false) {
  return h('details', { open }, h('summary', {}, summary), body);
}

// ---- the admin API -------------------------------------------------------------------

let busy = 0; // requests in flight other than the long poll, for inspector.settled()

// call fetches path under /_emulator and answers {ok, status, data, text, missing}. missing
// is set when the server has no such endpoint (an in-process server without fixtures
// answers unknown admin paths as an unknown operation, with 200). A 401 shows how to give
// the token, and throws.
async function call(path, opts = {}, { poll = false } = {}) {
  if (!poll) busy++;
  try {
    const res = await fetch(new URL(path, api), { credentials: 'same-origin', ...opts });
    if (res.status === 401) {
      showAuth();
      throw new Error('the admin token is missing or wrong');
    }
    const text = await res.text();
    let data = null;
    if ((res.headers.get('Content-Type') || '').includes('json')) {
      try {
        data = JSON.parse(text);
      } catch {
        /* not JSON after all */
      }
    }
    const unknownOp = /UnknownOperationException/.test(data?.Output?.__type || '');
    return { ok: res.ok && !unknownOp, status: res.status, data, text, missing: res.status === 404 || res.status === 405 || unknownOp };
  } finally {
    if (!poll) busy--;
  }
}

function showAuth() {
  const u = new URL(location.href);
  u.hash = '';
  u.search = '?token=…';
  $('auth-url').textContent = u.pathname + u.search;
  $('auth').hidden = false;
  setLive('no token', 'bad');
}

function setLive(text, cls) {
  const el = $('live');
  el.textContent = text;
  el.className = `live ${cls}`;
}

// ---- state ---------------------------------------------------------------------------

const state = {
  filters: { status: '', operation: '', model: '', testId: '', q: '' },
  rows: [], // summaries, the last journaled first
  seqs: new Set(), // of rows
  matched: 0,
  kept: 0,
  newest: 0, // the seq of the entry journaled last, at the last answer
  gen: 0, // bumped by every new list; answers to an older one are dropped
  pollAbort: null, // stops the list's long poll
  loading: false,
  selected: 0, // the seq opened
  entry: null, // the entry opened
  tab: 'request',
  view: 'requests',
  seenModels: new Set(),
  seenTests: new Set(),
};

function filterQuery(extra) {
  const q = new URLSearchParams();
  const f = state.filters;
  if (f.status) q.set('status', f.status);
  if (f.operation) q.set('operation', f.operation);
  if (f.model) q.set('model', f.model);
  if (f.testId === '(none)') q.set('testId', '');
  else if (f.testId) q.set('testId', f.testId);
  if (f.q) q.set('q', f.q);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

// The address keeps the filters and the request opened, so a reload or a shared link shows
// the same.
function saveHash() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) q.set(k, v);
  if (state.selected) q.set('seq', state.selected);
  if (state.view !== 'requests') q.set('view', state.view);
  const hash = q.toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
}

function loadHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  for (const k of Object.keys(state.filters)) state.filters[k] = q.get(k) || '';
  state.selected = Number(q.get('seq')) || 0;
  state.view = q.get('view') || 'requests';
  $('f-status').value = state.filters.status;
  $('f-operation').value = state.filters.operation;
  $('f-model').value = state.filters.model;
  $('f-test').value = state.filters.testId;
  $('f-q').value = state.filters.q;
}

// ---- the list ------------------------------------------------------------------------

// remember offers the models and test IDs seen as the filters' suggestions.
function remember(rows) {
  for (const r of rows) {
    if (r.modelId && !state.seenModels.has(r.modelId) && state.seenModels.size < 500) {
      state.seenModels.add(r.modelId);
      $('models').append(h('option', { value: r.modelId }));
    }
    if (r.testId && !state.seenTests.has(r.testId) && state.seenTests.size < 500) {
      state.seenTests.add(r.testId);
      $('tests').append(h('option', { value: r.testId }));
    }
    if (r.operation && ![...$('f-operation').options].some((o) => o.value === r.operation)) {
      $('f-operation').append(h('option', {}, r.operation));
    }
  }
}

// reload asks for the list again from its newest entry, as the filters say, and restarts
// the long poll.
async function reload() {
  const gen = ++state.gen;
  // Stop the long poll of the list before: a browser opens few connections to one server,
  // and long polls left waiting would hold them all.
  state.pollAbort?.abort();
  state.loading = true;
  renderFoot();
  const r = await call(`requests/summary?${filterQuery({ limit: PAGE })}`).catch((e) => ({ ok: false, text: e.message }));
  if (gen !== state.gen) return;
  state.loading = false;
  if (!r.ok) {
    setRows([]);
    state.matched = 0;
    showListError(r.missing ? 'This server has no request list (GET /_emulator/requests/summary).' : `The request list failed: ${r.data?.message || r.text || r.status}`);
    render();
    return;
  }
  setLive('live', 'ok');
  accept(r.data);
  setRows(r.data.requests || []);
  remember(state.rows);
  $('list').scrollTop = 0;
  render();
  poll(gen);
}

// setRows sets the rows shown, and the set of their seqs.
function setRows(rows) {
  state.rows = rows;
  state.seqs = new Set(rows.map((e) => e.seq));
}

function accept(d) {
  state.matched = d.matched ?? state.rows.length;
  state.kept = d.kept ?? state.kept;
  state.newest = d.newest ?? state.newest;
  $('n-requests').textContent = state.kept ? String(state.kept) : '';
}

// poll waits for entries newer than the newest kept, and puts them on top, keeping the rows
// in view where they are.
async function poll(gen) {
  let backoff = 500;
  while (gen === state.gen) {
    // Entries are listed in the order they were journaled (when their answer ended), and
    // newest is the last journaled: a slow stream that began earlier still comes after it.
    const after = state.newest;
    let r;
    const t0 = performance.now();
    const abort = new AbortController();
    state.pollAbort = abort;
    try {
      r = await call(`requests/summary?${filterQuery({ after, wait: WAIT, limit: MAX_PAGE })}`, { signal: abort.signal }, { poll: true });
    } catch (e) {
      if (!$('auth').hidden || gen !== state.gen) return;
      r = { ok: false, text: e.message };
    }
    if (gen !== state.gen) return;
    if (!r.ok) {
      setLive('disconnected: retrying', 'bad');
      await new Promise((ok) => setTimeout(ok, backoff));
      backoff = Math.min(backoff * 2, 10000);
      continue;
    }
    backoff = 500;
    setLive('live', 'ok');
    const d = r.data;
    const got = d.requests || [];
    if ((!d.newest && state.rows.length) || got.length >= MAX_PAGE) {
      // The journal was emptied (DELETE /_emulator/requests), or more came than one
      // answer holds: start again from the newest.
      reload();
      return;
    }
    // Under heavy traffic each poll is answered at once: poll at most four times a second,
    // taking what came meanwhile in one answer. An empty answer before the wait is over
    // means the server is stopping: ask again after a second.
    const elapsed = performance.now() - t0;
    const pause = got.length ? 250 - elapsed : elapsed < 1000 ? 1000 : 0;
    const fresh = got.filter((e) => !state.seqs.has(e.seq));
    accept(d);
    if (fresh.length) {
      const list = $('list');
      const keepPlace = list.scrollTop > 0;
      fresh.forEach((e) => (e.fresh = true));
      setRows(fresh.concat(state.rows));
      if (keepPlace) {
        sizeList();
        list.scrollTop += fresh.length * ROW;
      }
      remember(fresh);
      refreshPanels();
    }
    // Entries past the journal's size are gone from it: drop them from the bottom too.
    if (state.rows.length > state.matched) setRows(state.rows.slice(0, state.matched));
    render();
    if (pause > 0) await new Promise((ok) => setTimeout(ok, pause));
  }
}

// more loads the summaries journaled before the last one loaded, to cover index.
async function more(index) {
  if (state.loading || state.rows.length >= state.matched || !state.rows.length) return;
  const gen = state.gen;
  state.loading = true;
  renderFoot();
  const before = state.rows[state.rows.length - 1].seq;
  const limit = Math.min(MAX_PAGE, Math.max(PAGE, index + 50 - state.rows.length));
  const r = await call(`requests/summary?${filterQuery({ before, limit })}`).catch((e) => ({ ok: false, text: e.message }));
  if (gen !== state.gen) return;
  state.loading = false;
  if (r.ok) {
    const got = (r.data.requests || []).filter((e) => !state.seqs.has(e.seq));
    setRows(state.rows.concat(got));
    remember(got);
    // The summary's matched counts every match; fewer came back: the rest was dropped
    // from the journal meanwhile.
    if (!got.length) state.matched = state.rows.length;
  } else {
    // Not again at once (the next draw would ask): in two seconds.
    state.loading = true;
    await new Promise((ok) => setTimeout(ok, 2000));
    if (gen !== state.gen) return;
    state.loading = false;
  }
  render();
}

function showListError(text) {
  const el = $('list-empty');
  el.textContent = text;
  el.hidden = false;
}

// One row element per slot in view, reused as the list scrolls.
const pool = [];
let frame = 0;

function render() {
  if (!frame) frame = requestAnimationFrame(draw);
}

// sizeList makes the list as tall as all its rows, loaded or not; it returns how many.
function sizeList() {
  const total = Math.max(state.matched, state.rows.length);
  $('list-spacer').style.height = `${total * ROW}px`;
  return total;
}

function draw() {
  const t0 = performance.now();
  frame = 0;
  const list = $('list');
  const total = sizeList();
  const empty = $('list-empty');
  if (!total && !state.loading && empty.hidden) {
    const filtered = Object.values(state.filters).some(Boolean);
    empty.textContent = filtered ? 'No request matches these filters.' : 'No requests yet. Send one to the emulator; it appears here.';
    empty.hidden = false;
  } else if (total) empty.hidden = true;

  const first = Math.max(0, Math.floor(list.scrollTop / ROW) - 5);
  const last = Math.min(total, Math.ceil((list.scrollTop + list.clientHeight) / ROW) + 5);
  const n = Math.max(0, last - first);
  while (pool.length < n) {
    const el = h('div', { class: 'row', role: 'row', onclick: () => el.dataset.seq && open(Number(el.dataset.seq)) });
    for (let i = 0; i < 8; i++) el.append(h('span'));
    list.append(el);
    pool.push(el);
  }
  for (let k = 0; k < pool.length; k++) {
    const el = pool[k];
    const i = first + k;
    if (k >= n) {
      el.hidden = true;
      continue;
    }
    el.hidden = false;
    el.style.transform = `translateY(${i * ROW}px)`;
    fillRow(el, state.rows[i]);
  }
  if (last > state.rows.length && state.rows.length < state.matched) more(last);
  renderFoot();
  drawn(t0);
}

// drawn notes when the page last drew, and how long that took, for inspector.
function drawn(t0) {
  const now = performance.now();
  window.inspector.drawnAt = now;
  window.inspector.drawMs = now - t0;
}

function fillRow(el, e) {
  const c = el.children;
  if (!e) {
    delete el.dataset.seq;
    el.className = 'row loading';
    for (const s of c) s.textContent = '';
    c[0].textContent = '…';
    return;
  }
  el.dataset.seq = e.seq;
  const err = e.error?.type || (e.dropped ? 'connection dropped' : '');
  el.className = `row${e.seq === state.selected ? ' sel' : ''}${err || e.status >= 400 ? ' err' : ''}${e.fresh ? ' fresh' : ''}`;
  e.fresh = false;
  const cells = [fmtTime(e.time), e.testId || '', e.operation, e.modelId || '', e.status, err, e.answeredBy || '', fmtDuration(e.durationNs)];
  cells.forEach((v, i) => {
    c[i].textContent = v;
    c[i].title = v;
  });
  c[4].className = `st s${String(e.status)[0]}`;
  c[7].className = 'num';
}

function renderFoot() {
  const f = state.filters;
  const filtered = Object.values(f).some(Boolean);
  const parts = [];
  if (filtered) parts.push(`${state.matched} of ${state.kept} kept match`);
  else parts.push(`${state.kept} kept`);
  parts.push('newest first');
  if (state.rows.length < state.matched) parts.push(`${state.rows.length} loaded`);
  if (state.loading) parts.push('loading…');
  $('list-foot').textContent = parts.join(' · ');
}

// ---- one request ---------------------------------------------------------------------

async function open(seq) {
  state.selected = seq;
  $('view-requests').classList.add('open');
  saveHash();
  render();
  const detail = $('detail');
  detail.replaceChildren(h('p', { class: 'empty' }, 'Loading…'));
  const r = await call(`requests/${seq}`).catch((e) => ({ ok: false, text: e.message }));
  if (state.selected !== seq) return;
  if (!r.ok) {
    state.entry = null;
    detail.replaceChildren(h('p', { class: 'empty' }, r.status === 404 ? `Request #${seq} is no longer kept by the journal.` : `Could not open request #${seq}: ${r.data?.message || r.text}`));
    return;
  }
  state.entry = r.data;
  if (state.tab === 'stream' && !r.data.stream) state.tab = 'request';
  renderDetail();
}

function renderDetail() {
  const t0 = performance.now();
  const e = state.entry;
  const detail = $('detail');
  if (!e) return;
  const err = e.error;
  const tabs = [['request', 'Request'], ['answer', 'Answer']];
  if (e.stream) tabs.push(['stream', `Stream (${e.stream.length})`]);
  tabs.push(['json', 'JSON']);
  const body = h('div', { class: 'tabbody', id: `tab-${state.tab}` });
  ({ request: renderRequest, answer: renderAnswer, stream: renderStream, json: renderJSON })[state.tab](body, e);
  detail.replaceChildren(
    h('div', { class: 'dhead' },
      h('div', { class: 'dtitle' },
        h('span', { class: `st s${String(e.status)[0]}` }, e.status),
        h('strong', {}, e.operation),
        h('span', { class: 'model' }, e.modelId || ''),
        h('button', { class: 'close', title: 'Close', onclick: close }, '×')),
      h('dl', { class: 'meta' },
        meta('seq', `#${e.seq}`), meta('time', e.time), meta('duration', fmtDuration(e.durationNs)),
        meta('test ID', e.testId), meta('request ID', e.requestId), meta('answered by', e.answeredBy),
        meta('path', e.method || e.path ? `${e.method || 'POST'} ${e.path || ''}` : ''),
        meta('error', err ? `${err.type}: ${err.message}` : e.dropped ? 'the emulator broke the connection on purpose' : ''),
        meta('events', e.events)),
      h('div', { class: 'actions' },
        h('button', { id: 'copy-rule', onclick: copyRule, title: 'Make a script rule that answers this request this way' }, 'Copy as script rule'),
        h('button', { id: 'copy-curl', onclick: copyCurl, title: 'A curl command sending this request' }, 'Copy as curl')),
      h('div', { class: 'tabs', role: 'tablist' }, tabs.map(([k, label]) =>
        h('button', { role: 'tab', class: k === state.tab ? 'on' : '', dataset: { tab: k }, onclick: () => { state.tab = k; renderDetail(); } }, label)))),
    body);
  drawn(t0);
}

function meta(k, v) {
  if (v === undefined || v === null || v === '' || v === 0) return null;
  return [h('dt', {}, k), h('dd', { title: String(v) }, String(v))];
}

function close() {
  state.selected = 0;
  $('view-requests').classList.remove('open');
  state.entry = null;
  saveHash();
  $('detail').replaceChildren(h('p', { class: 'empty' }, 'Open a request to see what was sent and answered.'));
  render();
}

function renderRequest(box, e) {
  if (e.requestHeaders) {
    box.append(h('h3', {}, 'Headers'), h('table', { class: 'kv headers' },
      Object.entries(e.requestHeaders).sort(([a], [b]) => a.localeCompare(b)).map(([k, vs]) =>
        h('tr', {}, h('th', {}, k), h('td', {}, [].concat(vs).join(', '))))));
  }
  box.append(h('h3', {}, 'Body'));
  if (e.request === undefined || e.request === null) {
    box.append(h('p', { class: 'note' }, 'Not kept: the body was not JSON, or the journal dropped it to stay within its size.'));
    return;
  }
  box.append(readableRequest(e.request));
}

// readableRequest shows a Converse request (or a native body with messages) as a
// conversation; anything else as JSON. raw adds the body as JSON, folded.
function readableRequest(req, raw = true) {
  const out = h('div', { class: 'readable' });
  if (typeof req !== 'object' || req === null) return jsonBlock(req);
  const rest = { ...req };
  const system = req.system;
  if (system !== undefined) {
    delete rest.system;
    out.append(h('div', { class: 'msg system' }, h('div', { class: 'role' }, 'system'), blocks(typeof system === 'string' ? [{ text: system }] : system)));
  }
  if (typeof req.prompt === 'string' || typeof req.inputText === 'string') {
    const k = typeof req.prompt === 'string' ? 'prompt' : 'inputText';
    delete rest[k];
    out.append(h('div', { class: 'msg user' }, h('div', { class: 'role' }, k), h('div', { class: 'text' }, req[k])));
  }
  if (Array.isArray(req.messages)) {
    delete rest.messages;
    for (const m of req.messages) {
      out.append(h('div', { class: `msg ${m.role}` }, h('div', { class: 'role' }, m.role), blocks(typeof m.content === 'string' ? [{ text: m.content }] : m.content)));
    }
  }
  const tools = req.toolConfig?.tools || (Array.isArray(req.tools) ? req.tools : null);
  if (tools) {
    if (req.toolConfig) delete rest.toolConfig;
    else delete rest.tools;
    const choice = req.toolConfig?.toolChoice;
    out.append(h('div', { class: 'tools' }, h('h4', {}, `Tools (${tools.length})${choice ? ` · toolChoice ${Object.keys(choice)[0]}` : ''}`),
      tools.map((t) => {
        const spec = t.toolSpec || t;
        if (!spec.name) return jsonBlock(t);
        return collapsed([h('code', {}, spec.name), spec.description ? ` — ${spec.description}` : ''], jsonBlock(spec.inputSchema?.json ?? spec.inputSchema ?? spec.input_schema ?? spec));
      })));
  }
  if (Object.keys(rest).length) out.append(h('h4', {}, 'Other fields'), h('table', { class: 'kv' }, Object.entries(rest).map(([k, v]) =>
    h('tr', {}, h('th', {}, k), h('td', {}, typeof v === 'object' ? jsonBlock(v) : String(v))))));
  if (raw) out.append(collapsed('Raw body', jsonBlock(req)));
  return out;
}

// blocks renders content blocks, Converse's ({text}, {image}, …) or a native API's
// ({type: "text"}, {type: "image"}, …).
function blocks(list) {
  if (!Array.isArray(list)) return jsonBlock(list);
  return h('div', { class: 'blocks' }, list.map(block));
}

function block(b) {
  if (typeof b === 'string') return h('div', { class: 'text' }, b);
  if (!b || typeof b !== 'object') return jsonBlock(b);
  if (typeof b.text === 'string') return h('div', { class: 'text' }, b.text);
  const img = b.image || (b.type === 'image' ? b : null);
  if (img) {
    const src = img.source || {};
    const data = src.bytes || src.data;
    const fmt = img.format || (src.media_type || '').replace('image/', '') || 'png';
    if (typeof data === 'string') {
      return h('figure', { class: 'image' },
        h('img', { src: `data:image/${fmt};base64,${data}`, alt: `image (${fmt})`, loading: 'lazy' }),
        h('figcaption', {}, `image · ${fmt} · ${fmtBytes(base64Bytes(data))}`));
    }
    return h('div', { class: 'tag' }, `image · ${fmt} · ${src.s3Location?.uri || 'no bytes kept'}`);
  }
  const doc = b.document || (b.type === 'document' ? b : null);
  if (doc) {
    const src = doc.source || {};
    const size = src.bytes ? fmtBytes(base64Bytes(src.bytes)) : typeof src.text === 'string' ? `${src.text.length} chars` : src.data ? fmtBytes(base64Bytes(src.data)) : src.s3Location?.uri || '';
    return h('div', { class: 'tag doc' }, '📄 ', h('strong', {}, doc.name || doc.title || 'document'), ` · ${doc.format || src.media_type || ''} · ${size}`);
  }
  if (b.video) return h('div', { class: 'tag' }, `video · ${b.video.format || ''} · ${b.video.source?.bytes ? fmtBytes(base64Bytes(b.video.source.bytes)) : b.video.source?.s3Location?.uri || ''}`);
  const use = b.toolUse || (b.type === 'tool_use' ? b : null);
  if (use) return h('div', { class: 'tool use' }, h('div', {}, '→ tool call ', h('code', {}, use.name), h('span', { class: 'id' }, ` ${use.toolUseId || use.id || ''}`)), jsonBlock(use.input));
  const res = b.toolResult || (b.type === 'tool_result' ? b : null);
  if (res) {
    return h('div', { class: `tool result${res.status === 'error' || res.is_error ? ' err' : ''}` },
      h('div', {}, '← tool result ', h('span', { class: 'id' }, res.toolUseId || res.tool_use_id || ''), res.status ? ` · ${res.status}` : ''),
      blocks(typeof res.content === 'string' ? [{ text: res.content }] : res.content || []));
  }
  if (typeof b.json !== 'undefined') return jsonBlock(b.json);
  const rc = b.reasoningContent || (b.type === 'thinking' ? { reasoningText: { text: b.thinking } } : null);
  if (rc) return collapsed('reasoning', h('div', { class: 'text reasoning' }, rc.reasoningText?.text ?? (rc.redactedContent ? '(redacted)' : '')));
  if (b.cachePoint) return h('div', { class: 'tag' }, `cache point · ${b.cachePoint.type || ''}`);
  if (b.guardContent) return h('div', { class: 'tag' }, 'guard content: ', b.guardContent.text?.text || shortJSON(b.guardContent));
  return jsonBlock(b);
}

function renderAnswer(box, e) {
  if (e.error) {
    box.append(h('div', { class: 'error' }, h('strong', {}, e.error.type), h('p', {}, e.error.message),
      e.status === 200 ? h('p', { class: 'note' }, 'The stream began and then ended with this exception frame.') : null));
  }
  if (e.dropped) box.append(h('p', { class: 'error' }, 'The emulator broke this stream\'s connection on purpose.'));
  const res = e.response;
  if (res === undefined || res === null) {
    if (!e.error) box.append(h('p', { class: 'note' }, 'No answer body was kept.'));
    return;
  }
  const out = h('div', { class: 'readable' });
  const msg = res.output?.message;
  if (msg) out.append(h('div', { class: `msg ${msg.role}` }, h('div', { class: 'role' }, msg.role), blocks(msg.content)));
  else if (Array.isArray(res.content)) out.append(h('div', { class: 'msg assistant' }, h('div', { class: 'role' }, res.role || 'assistant'), blocks(res.content)));
  const facts = [];
  for (const k of ['stopReason', 'stop_reason']) if (res[k]) facts.push(['stop reason', res[k]]);
  const u = res.usage;
  if (u) facts.push(['usage', Object.entries(u).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${v}`).join(' · ')]);
  if (res.metrics?.latencyMs !== undefined) facts.push(['latency', `${res.metrics.latencyMs} ms`]);
  if (facts.length) out.append(h('table', { class: 'kv' }, facts.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))));
  out.append(collapsed('Raw answer', jsonBlock(res), !msg && !Array.isArray(res.content)));
  box.append(out);
}

function renderJSON(box, e) {
  box.append(h('pre', { class: 'json' }, JSON.stringify(e, null, 2)));
}

// ---- a stream ------------------------------------------------------------------------

// framePayload is a frame's payload as JSON: InvokeModelWithResponseStream's chunks carry
// the native body in base64 under "bytes" (beside the padding "p"), shown decoded.
function framePayload(f) {
  const p = f.payload;
  if (f.type === 'chunk' && p && typeof p.bytes === 'string') {
    const text = decodeBase64(p.bytes);
    try {
      return { chunk: JSON.parse(text) };
    } catch {
      return { chunk: text };
    }
  }
  return p;
}

// frameText is the text a frame adds to the answer, of any of the shapes streams use.
function frameText(type, p) {
  if (!p) return '';
  if (type === 'contentBlockDelta') return p.delta?.text ?? p.delta?.reasoningContent?.text ?? p.delta?.toolUse?.input ?? '';
  const c = p.chunk;
  if (!c || typeof c !== 'object') return typeof c === 'string' ? c : '';
  return c.delta?.text ?? c.delta?.partial_json ?? c.outputText ?? c.generation ?? c.completion ?? c.outputs?.[0]?.text ??
    c.contentBlockDelta?.delta?.text ?? c.choices?.[0]?.delta?.content ?? c.text ?? '';
}

function frameSummary(type, p) {
  const t = frameText(type, p);
  if (t) return JSON.stringify(t);
  if (!p) return '';
  if (type === 'messageStart') return `role ${p.role}`;
  if (type === 'contentBlockStart') return p.start?.toolUse ? `tool ${p.start.toolUse.name}` : `block ${p.contentBlockIndex}`;
  if (type === 'contentBlockStop') return `block ${p.contentBlockIndex}`;
  if (type === 'messageStop') return `stop ${p.stopReason}`;
  if (type === 'metadata' && p.usage) return `tokens in ${p.usage.inputTokens} out ${p.usage.outputTokens}`;
  if (p.message) return p.message;
  const c = p.chunk;
  if (c && typeof c === 'object') return c.type || Object.keys(c).join(', ');
  return '';
}

// assemble joins the text of the frames per content block (Converse) or over the chunks.
function assemble(frames) {
  const parts = new Map();
  for (const f of frames) {
    const p = framePayload(f);
    const t = frameText(f.type, p);
    if (!t) continue;
    const i = p?.contentBlockIndex ?? p?.chunk?.index ?? 0;
    const kind = p?.delta?.toolUse ? 'tool input' : p?.delta?.reasoningContent ? 'reasoning' : 'text';
    const key = `${i}:${kind}`;
    if (!parts.has(key)) parts.set(key, { i, kind, text: '' });
    parts.get(key).text += t;
  }
  return [...parts.values()];
}

function renderStream(box, e) {
  const frames = e.stream || [];
  if (!frames.length) {
    box.append(h('p', { class: 'note' }, 'No frames were recorded for this stream.'));
    return;
  }
  const end = Math.max(1, frames[frames.length - 1].offsetNs || 0);
  const parts = assemble(frames);
  box.append(h('h3', {}, 'Assembled'),
    h('div', { id: 'assembled', class: 'assembled' }, parts.length ? parts.map((p) =>
      h('div', { class: `part ${p.kind.replace(' ', '-')}` }, parts.length > 1 || p.kind !== 'text' ? h('span', { class: 'label' }, `block ${p.i} · ${p.kind}`) : null, h('div', { class: 'text' }, p.text))) : h('p', { class: 'note' }, 'No text in this stream.')));
  box.append(h('h3', {}, `Timeline · ${frames.length} events over ${fmtDuration(end)} from the first byte`));
  const list = h('ol', { id: 'timeline', class: 'timeline' });
  for (const f of frames) {
    const p = framePayload(f);
    const exception = /exception/i.test(f.type);
    const row = h('li', { class: `event${exception ? ' err' : ''}`, dataset: { type: f.type, offset: f.offsetNs } });
    const payload = h('pre', { class: 'json payload', hidden: true }, shortJSON(p));
    row.append(
      h('button', { class: 'ev', onclick: () => { payload.hidden = !payload.hidden; row.classList.toggle('open', !payload.hidden); } },
        h('span', { class: 'off' }, `+${((f.offsetNs || 0) / 1e6).toFixed(1)} ms`),
        h('span', { class: 'bar' }, dot((100 * (f.offsetNs || 0)) / end)),
        h('span', { class: 'type' }, f.type),
        h('span', { class: 'sum' }, frameSummary(f.type, p))),
      payload);
    list.append(row);
  }
  box.append(list);
}

// dot is the timeline's mark at pct% of the stream (a style property, not a style
// attribute: the page's content security policy allows no inline styles).
function dot(pct) {
  const i = h('i');
  i.style.left = `${pct}%`;
  return i;
}

// ---- copy as script rule, copy as curl -----------------------------------------------

function showExport(title, note, text, canLoad) {
  $('export-title').textContent = title;
  $('export-note').textContent = note;
  $('export-text').value = text;
  $('export-text').scrollTop = 0;
  $('export-status').textContent = '';
  $('export-load').hidden = !canLoad;
  const d = $('export');
  if (!d.open) d.showModal();
}

async function copyRule() {
  const e = state.entry;
  if (!e) return;
  const r = await call('scripts/rule', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(e) }).catch((err) => ({ ok: false, text: err.message }));
  if (!r.ok) {
    const why = r.missing ? 'This server has no script support (the fixtures package): no rule can be made here.' : (r.data?.message || r.text || `HTTP ${r.status}`);
    showExport('Copy as script rule', '', '', false);
    $('export-status').textContent = why;
    $('export-status').className = 'status bad';
    return;
  }
  showExport('Copy as script rule', 'A script with one rule that matches this request and answers as the emulator did. Put it in a file for --script, or load it now.', r.text, true);
  copyText(r.text, true);
}

async function loadRule() {
  const yaml = $('export-text').value;
  const st = $('export-status');
  const name = `inspector: rule from request #${state.entry?.seq ?? ''}`;
  const r = await call(`scripts?append=true&name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: yaml }).catch((err) => ({ ok: false, text: err.message }));
  if (r.ok) {
    st.textContent = 'Loaded: the emulator now answers this request with this rule (after the scripts loaded before it).';
    st.className = 'status ok';
    refreshPanels(true);
  } else {
    st.textContent = `Not loaded: ${r.data?.message || r.text || r.status}`;
    st.className = 'status bad';
  }
}

// shellQuote quotes s for a POSIX shell.
function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

const opPaths = {
  Converse: 'converse', ConverseStream: 'converse-stream', InvokeModel: 'invoke',
  InvokeModelWithResponseStream: 'invoke-with-response-stream', CountTokens: 'count-tokens',
};

function curlFor(e) {
  const path = e.path || (opPaths[e.operation] && e.modelId ? `/model/${encodeURIComponent(e.modelId)}/${opPaths[e.operation]}` : '/');
  const url = new URL(path, location.origin).href;
  const lines = [`curl -sS -X ${e.method || 'POST'} ${shellQuote(url)}`,
    `  --aws-sigv4 'aws:amz:us-east-1:bedrock' --user "\${AWS_ACCESS_KEY_ID:-x}:\${AWS_SECRET_ACCESS_KEY:-x}"`,
    `  -H 'Content-Type: application/json'`];
  if (e.testId) lines.push(`  -H ${shellQuote(`x-emulator-test-id: ${e.testId}`)}`);
  if (e.request !== undefined && e.request !== null) lines.push(`  --data-binary ${shellQuote(JSON.stringify(e.request))}`);
  if (/Stream$/.test(e.operation)) lines.push('  --output -   # an event stream: binary frames');
  return lines.join(' \\\n');
}

function copyCurl() {
  const e = state.entry;
  if (!e) return;
  const text = curlFor(e);
  showExport('Copy as curl', 'The request as curl sends it, signed with SigV4 as an SDK would (the original credentials are not kept). The emulator accepts any signature unless it runs with --auth strict.', text, false);
  copyText(text, true);
}

async function copyText(text, quiet) {
  const st = $('export-status');
  try {
    await navigator.clipboard.writeText(text);
    st.textContent = 'Copied to the clipboard.';
    st.className = 'status ok';
  } catch {
    const ta = $('export-text');
    ta.focus();
    ta.select();
    const ok = document.execCommand && document.execCommand('copy');
    ta.setSelectionRange(0, 0);
    ta.scrollTop = 0;
    if (!quiet || ok) {
      st.textContent = ok ? 'Copied to the clipboard.' : 'Select the text and copy it.';
      st.className = `status ${ok ? 'ok' : ''}`;
    }
  }
}

// ---- side panels ---------------------------------------------------------------------

const panels = {
  // A script's counts are kept per test ID: those of the test the list is filtered by.
  scripts: { path: () => (state.filters.testId && state.filters.testId !== '(none)' ? `scripts?testId=${encodeURIComponent(state.filters.testId)}` : 'scripts'), render: renderScripts, count: (d) => (d.scripts || []).length },
  cassettes: { path: () => 'cassettes', render: renderCassettes, count: (d) => (d.cassettes || []).length },
  guardrails: { path: () => 'guardrails', render: renderGuardrails, count: (d) => (d.guardrails || []).length },
  prompts: { path: () => 'prompts', render: renderPrompts, count: (d) => (d.prompts || []).length },
};

let panelTimer = 0;
let panelGen = 0;

// refreshPanels reloads the counts in the navigation, and the panels; new requests change
// hit counts, so it runs after them (at most once a second), and at once when asked (now).
function refreshPanels(now) {
  if (panelTimer && !now) return;
  clearTimeout(panelTimer);
  panelTimer = setTimeout(async () => {
    const gen = ++panelGen;
    await Promise.all(Object.entries(panels).map(([name, p]) => loadPanel(name, p, gen)));
    if (gen === panelGen) panelTimer = 0;
  }, now ? 0 : 1000);
}

async function loadPanel(name, p, gen) {
  const r = await call(p.path()).catch((e) => ({ ok: false, text: e.message }));
  if (gen !== panelGen) return; // a later refresh is under way
  const box = $(`view-${name}`);
  const count = $(`n-${name}`);
  let content;
  if (r.ok && r.data) {
    const n = p.count(r.data);
    count.textContent = n ? String(n) : '';
    content = p.render(r.data);
  } else {
    count.textContent = '';
    content = r.missing ? h('p', { class: 'empty' }, missingText[name]) : h('p', { class: 'empty' }, `Could not load ${name}: ${r.data?.message || r.text || r.status}`);
  }
  box.replaceChildren(h('h2', {}, name[0].toUpperCase() + name.slice(1)), content);
}

const missingText = {
  scripts: 'No scripts loaded: this server has no script support (serve the bedrock-emulator command, or install fixtures.Set on your emulator.Server).',
  cassettes: 'No cassettes loaded: this server replays none (serve --cassette FILE).',
  guardrails: 'No guardrails: this server has no guardrail endpoint.',
  prompts: 'No prompts: this server has no prompt endpoint.',
};

function renderScripts(d) {
  const scripts = d.scripts || [];
  const test = state.filters.testId && state.filters.testId !== '(none)' ? state.filters.testId : '';
  const out = h('div', {}, h('p', { class: 'note' },
    test ? `Counts of the calls of test ID ${test} (the list's filter). ` : 'Counts of the calls that name no test ID; filter the list by a test ID to see its counts. ',
    `Strict mode is ${d.strict ? 'on: a request no rule matches gets an error naming the closest rule' : 'off'}.`));
  if (!scripts.length) {
    out.append(h('p', { class: 'empty' }, 'No scripts loaded (serve --script FILE, or POST /_emulator/scripts).'));
    return out;
  }
  for (const s of scripts) {
    out.append(h('div', { class: 'card' }, h('h3', {}, s.name, s.faults ? h('span', { class: 'tag' }, 'faults') : null),
      (s.rules || []).length ? h('table', { class: 'grid' },
        h('tr', {}, h('th', {}, 'rule'), h('th', {}, 'where'), h('th', { class: 'num' }, 'matched'), h('th', { class: 'num' }, 'answered')),
        s.rules.map((r) => h('tr', { class: r.answered ? '' : 'unused' }, h('td', {}, r.name || '(unnamed)'), h('td', {}, `${r.file || s.name}:${r.line}`),
          h('td', { class: 'num' }, r.matched), h('td', { class: 'num' }, r.answered)))) : h('p', { class: 'note' }, 'No rules.')));
  }
  return out;
}

function renderCassettes(d) {
  const cs = d.cassettes || [];
  if (!cs.length) return h('p', { class: 'empty' }, 'No cassettes loaded (serve --cassette FILE).');
  return h('div', {}, cs.map((c) => {
    const used = (c.interactions || []).filter((i) => i.used).length;
    return h('div', { class: 'card' }, h('h3', {}, c.name, h('span', { class: 'tag' }, `${used} of ${(c.interactions || []).length} used`)),
      h('table', { class: 'grid' }, h('tr', {}, h('th', {}, '#'), h('th', {}, 'request'), h('th', {}, 'status'), h('th', { class: 'num' }, 'used')),
        (c.interactions || []).map((i) => h('tr', { class: i.used ? '' : 'unused' }, h('td', {}, i.index), h('td', {}, `${i.method || ''} ${i.path || ''}`),
          h('td', {}, i.status ?? ''), h('td', { class: 'num' }, i.used || 'unused')))));
  }));
}

function renderGuardrails(d) {
  const gs = d.guardrails || [];
  if (!gs.length) return h('p', { class: 'empty' }, 'No guardrails defined (serve --guardrails FILE, or POST /_emulator/guardrails).');
  return h('div', {}, gs.map((g) => {
    const pol = [];
    if (g.topicPolicyConfig) pol.push(`denied topics: ${g.topicPolicyConfig.topicsConfig.map((t) => t.name).join(', ')}`);
    if (g.contentPolicyConfig) pol.push(`content filters: ${g.contentPolicyConfig.filtersConfig.map((f) => `${f.type} ${f.inputStrength || ''}`.trim()).join(', ')}`);
    if (g.wordPolicyConfig) pol.push(`words: ${(g.wordPolicyConfig.wordsConfig || []).map((w) => w.text).join(', ')}${(g.wordPolicyConfig.managedWordListsConfig || []).length ? ' + managed lists' : ''}`);
    const s = g.sensitiveInformationPolicyConfig;
    if (s) pol.push(`sensitive information: ${[...(s.piiEntitiesConfig || []).map((p) => `${p.type} ${p.action}`), ...(s.regexesConfig || []).map((r) => `${r.name} ${r.action}`)].join(', ')}`);
    return h('div', { class: 'card' }, h('h3', {}, g.guardrailId, g.name ? h('span', { class: 'sub' }, ` ${g.name}`) : null, h('span', { class: 'tag' }, `versions ${(g.versions || ['DRAFT']).join(', ')}`)),
      g.description ? h('p', {}, g.description) : null, h('ul', {}, pol.map((p) => h('li', {}, p))), collapsed('Definition', jsonBlock(g)));
  }));
}

function renderPrompts(d) {
  const ps = d.prompts || [];
  if (!ps.length) return h('p', { class: 'empty' }, 'No prompts defined (serve --prompts FILE, or POST /_emulator/prompts).');
  return h('div', {}, ps.map((p) => h('div', { class: 'card' },
    h('h3', {}, p.promptId, p.name ? h('span', { class: 'sub' }, ` ${p.name}`) : null, h('span', { class: 'tag' }, p.modelId)),
    p.text ? h('div', { class: 'text' }, p.text) : null,
    p.messages ? readableRequest({ system: p.system, messages: p.messages }, false) : null,
    collapsed('Definition', jsonBlock(p)))));
}

// ---- views, filters, keys ------------------------------------------------------------

function show(view) {
  state.view = view;
  for (const b of $('nav').querySelectorAll('button')) b.classList.toggle('on', b.dataset.view === view);
  for (const s of document.querySelectorAll('main > .view')) {
    const on = s.id === `view-${view}`;
    s.hidden = !on;
    s.classList.toggle('on', on);
  }
  saveHash();
  if (view !== 'requests') refreshPanels(true);
  else render();
}

let typing = 0;

function applyFilters() {
  clearTimeout(typing);
  typing = 0;
  const f = state.filters;
  const next = { status: $('f-status').value, operation: $('f-operation').value, model: $('f-model').value.trim(), testId: $('f-test').value.trim(), q: $('f-q').value };
  if (Object.keys(next).every((k) => next[k] === f[k])) return;
  Object.assign(f, next);
  $('list-empty').hidden = true;
  saveHash();
  reload();
  refreshPanels(true);
}

function wire() {
  const form = $('filters');
  form.addEventListener('change', applyFilters);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyFilters();
  });
  form.addEventListener('input', (ev) => {
    if (ev.target.tagName !== 'INPUT') return;
    clearTimeout(typing);
    typing = setTimeout(applyFilters, 300);
  });
  $('list').addEventListener('scroll', render, { passive: true });
  window.addEventListener('resize', render);
  $('list').addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    ev.preventDefault();
    const i = state.rows.findIndex((r) => r.seq === state.selected);
    const j = Math.max(0, Math.min(state.rows.length - 1, i + (ev.key === 'ArrowDown' ? 1 : -1)));
    if (!state.rows[j]) return;
    const list = $('list');
    if (j * ROW < list.scrollTop) list.scrollTop = j * ROW;
    else if ((j + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = (j + 1) * ROW - list.clientHeight;
    open(state.rows[j].seq);
  });
  $('nav').addEventListener('click', (ev) => {
    const b = ev.target.closest('button');
    if (b) show(b.dataset.view);
  });
  $('export-copy').addEventListener('click', () => copyText($('export-text').value));
  $('export-load').addEventListener('click', loadRule);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && state.selected && !$('export').open) close();
  });
}

// inspector is what a test (or a curious user in the console) can ask the page.
window.inspector = {
  // settled resolves once no request but the long poll is in flight, no typing waits to
  // be applied, and the page has drawn.
  // drawnAt is when the page last drew the list or a request (performance.now()), and
  // drawMs how long that took.
  drawnAt: 0,
  drawMs: 0,
  settled() {
    return new Promise((done) => {
      let quiet = 0;
      const check = () => {
        quiet = busy === 0 && !typing && !frame && !state.loading && !panelTimer ? quiet + 1 : 0;
        if (quiet >= 2) done(true);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  },
  state,
};

wire();
loadHash();
show(state.view);
reload();
refreshPanels(true);
if (state.selected) open(state.selected);
