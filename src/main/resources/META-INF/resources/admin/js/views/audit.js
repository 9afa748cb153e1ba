import { field, h, time } from '../dom.js';

/** The audit view: the newest events, then every new one as the stream delivers it. */
export function auditView(ctx) {
  const { api } = ctx;
  const filter = { objectType: '', objectId: '', since: '' };
  const body = h('tbody');
  const count = h('span', { class: 'muted' });

  const objectType = h('select', { name: 'objectType', onchange: (e) => { filter.objectType = e.target.value; load(); } },
    h('option', { value: '' }, 'All'), ['token', 'definition', 'user'].map((t) => h('option', { value: t }, t)));
  const objectId = h('input', { type: 'search', name: 'objectId', placeholder: 'id, or a user name', onchange: (e) => { filter.objectId = e.target.value.trim(); load(); } });
  const since = h('input', { type: 'datetime-local', name: 'since', onchange: (e) => {
    filter.since = e.target.value ? new Date(e.target.value).toISOString() : '';
    load();
  } });

  const element = h('section', { class: 'panel', id: 'audit-view' },
    h('h1', {}, 'Audit'),
    h('div', { class: 'toolbar' }, field('Object type', objectType), field('Object id', objectId), field('Since', since), count),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Audit events' }, h('table', { class: 'cards' },
      h('caption', { class: 'offscreen' }, 'Audit events, newest first'),
      h('thead', {}, h('tr', {}, ['At', 'User', 'Action', 'Object', 'Summary', 'Object id'].map((c) => h('th', { scope: 'col' }, c)))),
      body)));

  function row(e) {
    const cell = (label, content, cls) => h('td', { class: cls, dataset: { label } }, content);
    return h('tr', { dataset: { id: e.id } },
      cell('At', time(e.at)), cell('User', e.user),
      cell('Action', h('span', { class: `badge ${e.action}` }, e.action)), cell('Object', e.objectType),
      cell('Summary', e.summary, 'summary'), cell('Object id', e.objectId, 'mono small'));
  }

  function matches(e) {
    return (!filter.objectType || e.objectType === filter.objectType)
      && (!filter.objectId || e.objectId === filter.objectId)
      && (!filter.since || e.at >= filter.since);
  }

  async function load() {
    const answer = await api.get('/events', { ...filter, limit: 200 });
    body.replaceChildren(...answer.items.map(row));
    count.textContent = `${answer.items.length} events`;
  }

  return {
    element,
    refresh: load,
    onEvent: (event) => {
      if (!matches(event) || body.querySelector(`tr[data-id="${CSS.escape(event.id)}"]`)) return;
      const tr = row(event);
      tr.classList.add('fresh');
      body.prepend(tr);
      count.textContent = `${body.children.length} events`;
    },
  };
}
