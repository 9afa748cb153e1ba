import { field, h, problemText } from '../dom.js';
import { checkRoute, fillRoute } from '../rules.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const CONTENT_TYPES = ['application/json', 'text/plain', 'application/xml', 'text/xml', '(none)'];

/**
 * The trigger tester: sends a request through the real /api/custom endpoint, exactly as a client would,
 * and shows what came back. The secret typed here is sent to this instance only and never stored.
 */
export function testerView(ctx) {
  const { api } = ctx;
  let definitions = [];
  const apiSelect = h('select', { name: 'api', onchange: () => choose() });
  const about = h('p', { class: 'hint' });
  const method = h('select', { name: 'method' }, METHODS.map((m) => h('option', { value: m, selected: m === 'POST' }, m)));
  const secret = h('input', { type: 'password', name: 'secret', autocomplete: 'off', class: 'mono', placeholder: 'the token secret' });
  const reveal = h('input', { type: 'checkbox', onchange: (e) => { secret.type = e.target.checked ? 'text' : 'password'; } });
  const params = h('div', { class: 'row wrap' });
  const query = h('input', { name: 'query', class: 'mono', placeholder: 'a=1&b=two' });
  const contentType = h('select', { name: 'contentType' }, CONTENT_TYPES.map((t) => h('option', { value: t }, t)));
  const body = h('textarea', { name: 'body', rows: '5', class: 'mono', placeholder: '{"key": "value"}' });
  const result = h('div', { class: 'result', 'aria-live': 'polite' });
  const syncBody = () => { body.disabled = method.value === 'GET'; };
  method.addEventListener('change', syncBody);
  syncBody();

  const form = h('form', { class: 'stack', onsubmit: (e) => { e.preventDefault(); send(); } },
    field('API', apiSelect), about,
    h('div', { class: 'row wrap' }, field('Method', method), field('Secret', secret),
      h('label', { class: 'check-label' }, reveal, 'Show secret')),
    params,
    field('Query string', query),
    h('div', { class: 'row wrap' }, field('Content-Type', contentType)),
    field('Body', body),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Send')));

  const element = h('section', { class: 'panel', id: 'tester-view' },
    h('h1', {}, 'Trigger tester'),
    h('div', { class: 'split' }, form, result));

  function current() {
    return definitions.find((d) => d.id === apiSelect.value);
  }

  function choose() {
    const d = current();
    params.replaceChildren();
    if (!d) { about.textContent = 'No API yet: create one in the APIs view.'; return; }
    about.textContent = [d.name, d.description].filter(Boolean).join(' — ') || 'No description.';
    const check = checkRoute(d.route);
    for (const name of check.ok ? check.placeholders : []) {
      params.append(field(`Route parameter ${name}`, h('input', { name: `param-${name}`, dataset: { param: name } })));
    }
  }

  async function load(selectId) {
    definitions = await api.all('/definitions', { sort: 'route' });
    const keep = selectId ?? apiSelect.value;
    apiSelect.replaceChildren(...definitions.map((d) => h('option', { value: d.id, selected: d.id === keep },
      d.name ? `${d.route} (${d.name})` : d.route)));
    choose();
  }

  async function send() {
    const d = current();
    if (!d) return;
    const values = Object.fromEntries([...params.querySelectorAll('input')].map((i) => [i.dataset.param, i.value]));
    const q = query.value.trim().replace(/^\?/, '');
    const url = `/api/custom/${fillRoute(d.route, values)}${q ? `?${q}` : ''}`;
    const headers = {};
    if (secret.value) headers.Authorization = `Bearer ${secret.value}`;
    const hasBody = method.value !== 'GET' && body.value !== '';
    if (contentType.value !== '(none)' && (hasBody || method.value !== 'GET')) headers['Content-Type'] = contentType.value;
    result.replaceChildren(h('p', { class: 'muted' }, 'Sending…'));
    const started = performance.now();
    try {
      const response = await fetch(url, { method: method.value, headers, body: hasBody ? body.value : undefined, cache: 'no-store' });
      const bytes = new Uint8Array(await response.arrayBuffer());
      show(url, response, bytes, performance.now() - started);
    } catch (e) {
      result.replaceChildren(h('p', { class: 'error' }, `The request failed: ${problemText(e)}`));
    }
  }

  function show(url, response, bytes, ms) {
    const text = new TextDecoder().decode(bytes);
    let pretty = text;
    let errorCode = null;
    try {
      const json = JSON.parse(text);
      pretty = JSON.stringify(json, null, 2);
      errorCode = json?.errors?.[0]?.errorCode ?? null;
    } catch { /* not JSON: shown as it came */ }
    const ok = response.status < 400;
    result.replaceChildren(
      h('dl', { class: 'summary' },
        h('dt', {}, 'Status'), h('dd', { class: `status ${ok ? 'ok' : 'bad'}`, id: 'tester-status' }, `${response.status} ${response.statusText}`),
        h('dt', {}, 'Error code'), h('dd', { id: 'tester-error-code' }, errorCode ?? '—'),
        h('dt', {}, 'Time'), h('dd', { id: 'tester-time' }, `${ms.toFixed(1)} ms`),
        h('dt', {}, 'Size'), h('dd', {}, `${bytes.length} bytes`),
        h('dt', {}, 'Request'), h('dd', { class: 'mono' }, url)),
      h('details', {}, h('summary', {}, 'Headers'),
        h('table', { class: 'headers' }, h('tbody', {}, [...response.headers].map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { class: 'mono' }, v)))))),
      h('h2', {}, 'Body'),
      h('pre', { class: 'body', id: 'tester-body' }, pretty || '(empty)'));
  }

  return {
    element,
    refresh: () => load(),
    select: (id) => load(id),
    onEvent: (event) => { if (event.objectType === 'definition') ctx.debounce('tester', () => load()); },
  };
}
