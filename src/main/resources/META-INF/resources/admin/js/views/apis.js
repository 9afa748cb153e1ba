import { apiForm, confirmDialog, copyText, field, h, openDialog, problemText, time, toast } from '../dom.js';
import { checkRoute, checkScriptName } from '../rules.js';
import { DataTable } from '../table.js';

/** The APIs view: the definitions (docs/concepts.md, "Definitions"), their full URLs, and the form that checks a route as it is typed. */
export function apisView(ctx) {
  const { api } = ctx;
  const filter = { route: '', scriptName: '' };
  let focused = null;

  const table = new DataTable({
    caption: 'APIs',
    sort: 'route',
    load: async (page) => {
      const answer = await api.get('/definitions', { ...page, ...filter });
      await ctx.tokenNames(answer.items.flatMap((d) => d.allowedTokens));
      return answer;
    },
    columns: [
      { label: 'URL', sort: 'route', class: 'url', render: (d) => h('div', { class: 'url-cell' },
        h('code', {}, fullUrl(d.route)),
        h('button', { type: 'button', class: 'small', onclick: async () => {
          toast(await copyText(fullUrl(d.route)) ? 'URL copied.' : 'Copy failed.');
        } }, 'Copy URL')) },
      { label: 'Name', sort: 'name', render: (d) => d.name ?? h('span', { class: 'muted' }, '—') },
      { label: 'Description', render: (d) => h('span', { class: 'description' }, d.description ?? '') },
      { label: 'Script', sort: 'scriptName', class: 'mono', render: (d) => d.actionMeta.scriptName },
      { label: 'Action type', sort: 'actionType', render: (d) => h('span', {}, d.actionType,
        d.actionMeta.inputType ? h('span', { class: 'hint block' }, `input: ${d.actionMeta.inputType}`) : null) },
      { label: 'Allowed tokens', render: (d) => d.allowedTokens.length === 0
        ? h('span', { class: 'muted' }, 'nobody')
        : h('ul', { class: 'chips' }, d.allowedTokens.map((id) => h('li', {}, ctx.tokenNameOf(id)))) },
      { label: 'Created', sort: 'createdAt', render: (d) => stamp(d.createdAt, d.createdBy) },
      { label: 'Modified', sort: 'lastModified', render: (d) => stamp(d.lastModified, d.lastModifiedBy) },
      { label: 'Actions', class: 'row-actions', render: actions },
    ],
  });
  const originalRefresh = table.refresh.bind(table);
  table.refresh = async () => {
    await originalRefresh();
    if (focused) table.body.querySelector(`tr[data-id="${CSS.escape(focused)}"]`)?.classList.add('focused');
  };

  let typing;
  const debounced = (key) => (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => { filter[key] = e.target.value.trim(); focused = null; table.reset(); }, 200);
  };
  const routeFilter = h('input', { type: 'search', placeholder: 'part of a route', oninput: debounced('route') });
  const scriptFilter = h('input', { type: 'search', placeholder: 'exact script name', oninput: debounced('scriptName') });

  const docToken = h('select', { name: 'openapiToken' });
  const download = async (tokenId) => {
    try {
      const name = tokenId ? `udapi-openapi-${safeName(docToken.selectedOptions[0]?.textContent ?? tokenId)}.json` : 'udapi-openapi.json';
      await api.download('/definitions/openapi', tokenId ? { tokenId } : undefined, name);
    } catch (e) {
      toast(problemText(e), 'error');
    }
  };
  const loadDocTokens = async () => {
    if (!ctx.can('tokens.read')) return;
    const keep = docToken.value;
    const answer = await api.get('/tokens', { sort: 'name', size: 1000 });
    docToken.replaceChildren(...answer.items.map((t) => h('option', { value: t.id, selected: t.id === keep }, t.name)));
  };
  const openapi = h('div', { class: 'toolbar openapi', role: 'group', 'aria-label': 'OpenAPI document' },
    h('button', { type: 'button', onclick: () => download(null) }, 'Download OpenAPI (all APIs)'),
    ctx.can('tokens.read') ? [field('APIs of token', docToken),
      h('button', { type: 'button', onclick: () => docToken.value && download(docToken.value) }, 'Download OpenAPI for this token')] : null);

  const element = h('section', { class: 'panel', id: 'apis-view' },
    h('div', { class: 'title-row' }, h('h1', {}, 'APIs'),
      ctx.can('definitions.write') ? h('button', { type: 'button', class: 'primary', onclick: () => edit(null) }, 'New API') : null),
    h('div', { class: 'toolbar' }, field('Filter by route', routeFilter), field('Script', scriptFilter)),
    openapi,
    table.element);

  function actions(d) {
    return h('div', { class: 'buttons', role: 'group', 'aria-label': `Actions for ${d.route}` },
      h('button', { type: 'button', onclick: () => ctx.navigate(`#tester/${d.id}`) }, 'Test'),
      ctx.can('definitions.write') ? h('button', { type: 'button', onclick: () => edit(d) }, 'Edit') : null,
      ctx.can('definitions.delete') ? h('button', { type: 'button', class: 'danger', onclick: () => remove(d) }, 'Delete') : null);
  }

  async function edit(d) {
    const saved = await openDialog(d ? `Edit ${d.route}` : 'New API', (close) => definitionForm(d, async (body) => {
      close(d ? await api.patch(`/definitions/${d.id}`, body, d.version) : await api.post('/definitions', body));
    }, () => close(null)));
    if (saved) { toast(`Saved ${saved.route}.`); await table.refresh(); }
  }

  async function remove(d) {
    if (!await confirmDialog(`Delete ${d.route}?`, 'Clients calling this URL get 404 from now on. This cannot be undone.', 'Delete')) return;
    try {
      await api.delete(`/definitions/${d.id}`);
      toast(`Deleted ${d.route}.`);
    } catch (e) {
      toast(problemText(e), 'error');
    }
    await table.refresh();
  }

  function definitionForm(d, submit, cancel) {
    const route = h('input', { name: 'route', required: true, value: d?.route ?? '', autocomplete: 'off', class: 'mono',
      placeholder: 'tickets/{id}/status' });
    const routeCheck = h('div', { class: 'route-check', role: 'status' });
    const showRoute = () => {
      const result = checkRoute(route.value);
      route.setCustomValidity(result.ok ? '' : 'invalid route');
      routeCheck.className = `route-check ${result.ok ? 'ok' : 'bad'}`;
      routeCheck.replaceChildren(...(result.ok
        ? [h('span', {}, 'URL: '), h('code', {}, fullUrl(route.value)), h('br'),
          result.placeholders.length ? `Placeholders: ${result.placeholders.join(', ')}` : 'No placeholders']
        : [`Invalid route: ${result.finding}. Rule: ${result.rule}.`]));
    };
    route.addEventListener('input', showRoute);
    showRoute();

    const name = h('input', { name: 'name', maxlength: '100', value: d?.name ?? '' });
    const description = h('textarea', { name: 'description', maxlength: '2000', rows: '2' });
    description.value = d?.description ?? '';
    const actionType = h('select', { name: 'actionType' },
      ['AutomationScript', 'AutomationScriptNoEntryPoint'].map((t) => h('option', { value: t, selected: d?.actionType === t }, t)));
    const inputType = h('select', { name: 'inputType' },
      ['RawBody', 'Parameters'].map((t) => h('option', { value: t, selected: d?.actionMeta.inputType === t }, t)));
    const syncInput = () => { inputType.disabled = actionType.value !== 'AutomationScript'; };
    actionType.addEventListener('change', syncInput);
    syncInput();
    const script = h('input', { name: 'scriptName', required: true, value: d?.actionMeta.scriptName ?? '', class: 'mono', autocomplete: 'off' });
    const scriptError = h('span', { class: 'field-error', role: 'alert' });
    script.addEventListener('input', () => { scriptError.textContent = script.value ? checkScriptName(script.value) ?? '' : ''; });

    const tokens = tokenChecklist(new Set(d?.allowedTokens ?? []));
    const body = () => {
      const meta = { scriptName: script.value.trim() };
      if (actionType.value === 'AutomationScript') meta.inputType = inputType.value;
      return { route: route.value, name: name.value.trim() || null, description: description.value.trim() || null,
        actionType: actionType.value, actionMeta: meta, allowedTokens: [...tokens.selected] };
    };
    return apiForm(body, submit,
      field('Route', route, 'The part of the URL after /api/custom/. A whole segment in braces is a placeholder.'), routeCheck,
      field('Name (optional)', name), field('Description (optional)', description),
      h('div', { class: 'row wrap' }, field('Action type', actionType), field('Input type', inputType)),
      field('Script name', script, 'A file in the scripts directory (or a name the http engine knows).'), scriptError,
      tokens.element,
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: cancel }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, d ? 'Save' : 'Create')));
  }

  /** Allowed tokens: a searchable list of checkboxes; checked tokens stay listed whatever the search. */
  function tokenChecklist(selected) {
    const list = h('div', { class: 'checklist', role: 'group', 'aria-label': 'Allowed tokens' });
    const search = h('input', { type: 'search', placeholder: 'search tokens by name' });
    let shown = [];
    const render = async () => {
      const answer = await api.get('/tokens', { name: search.value.trim(), size: 200 });
      await ctx.tokenNames([...selected]);
      const found = answer.items.map((t) => ({ id: t.id, name: t.name }));
      const chosen = [...selected].filter((id) => !found.some((t) => t.id === id)).map((id) => ({ id, name: ctx.tokenNameOf(id) }));
      shown = [...chosen, ...found];
      list.replaceChildren(...shown.map((t) => h('label', { class: 'check-label' },
        h('input', { type: 'checkbox', value: t.id, checked: selected.has(t.id),
          onchange: (e) => { if (e.target.checked) selected.add(t.id); else selected.delete(t.id); } }),
        t.name)));
      if (shown.length === 0) list.append(h('p', { class: 'muted' }, 'No token matches.'));
    };
    let typing2;
    search.addEventListener('input', () => { clearTimeout(typing2); typing2 = setTimeout(render, 200); });
    render();
    const element = h('fieldset', {}, h('legend', {}, 'Allowed tokens'),
      h('div', { class: 'row wrap' }, field('Search tokens', search),
        ctx.can('tokens.write') ? h('button', { type: 'button', onclick: async () => {
          const token = await ctx.createToken();
          if (token) { selected.add(token.id); ctx.rememberTokenName(token); await render(); }
        } }, 'New token…') : null),
      list, h('p', { class: 'hint' }, 'With no token checked, nobody can call this API.'));
    return { element, selected };
  }

  async function focus(id) {
    try {
      const d = await api.get(`/definitions/${id}`);
      focused = id;
      filter.route = d.route;
      routeFilter.value = d.route;
      await table.reset();
    } catch (e) {
      toast(problemText(e), 'error');
    }
  }

  return {
    element,
    refresh: () => Promise.all([table.refresh(), loadDocTokens()]),
    focus,
    onEvent: (event) => {
      if (event.objectType === 'definition' || event.objectType === 'token') ctx.debounce('apis', () => table.refresh());
      if (event.objectType === 'token') ctx.debounce('apis-doc-tokens', loadDocTokens);
    },
  };
}

/** When and by whom, as one element so that it stays one cell in the phone layout. */
function stamp(at, by) {
  return h('span', {}, time(at), h('span', { class: 'hint block' }, by));
}

function safeName(name) {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function fullUrl(route) {
  return `${location.origin}/api/custom/${route}`;
}
