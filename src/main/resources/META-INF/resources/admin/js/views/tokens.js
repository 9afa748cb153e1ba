import { ApiError } from '../api.js';
import { answers, destroySparklines, minutes, perMinute, sparkline } from '../charts.js';
import { apiForm, ago, confirmDialog, copyText, field, h, openDialog, problemText, rateLimitText, time, toast } from '../dom.js';
import { actionMenu } from '../menu.js';
import { checkSourceRanges, checkTokenName } from '../rules.js';
import { DataTable } from '../table.js';
import { rateLimitInput } from './rate-limit-input.js';
import { showSecretOnce } from './secret-dialog.js';

const DAY = 86_400_000;
const SOON = 7 * DAY;

/** The tokens view: the table of tokens (docs/concepts.md, "Tokens") and every action on them. */
export function tokensView(ctx) {
  const { api } = ctx;
  const filter = { name: '', state: '' };
  // this instance's last hour per token (GET /admin/v1/stats), for the sparklines; only with events.read
  let stats = null;
  const loadStats = () => (ctx.can('events.read') ? api.get('/stats').catch(() => null) : Promise.resolve(null));

  const table = new DataTable({
    caption: 'API tokens',
    sort: 'name',
    selectable: ctx.can('tokens.delete'),
    load: async (page) => {
      const [answer, fresh] = await Promise.all([api.get('/tokens', { ...page, name: filter.name, ...stateQuery(filter.state) }), loadStats()]);
      stats = fresh;
      destroySparklines(table.body); // the rows are about to be replaced
      return answer;
    },
    columns: [
      { label: 'Name', sort: 'name', render: (t) => h('strong', {}, t.name) },
      { label: 'State', sort: 'isDisabled', render: (t) => h('span', { class: 'state' }, stateBadge(t), overlap(t)) },
      { label: 'Id', sort: 'id', render: shortId },
      { label: 'Limits', render: (t) => h('span', {}, rateLimitText(t.rateLimit), sources(t)) },
      { label: 'Expiry', sort: 'expiresAt', render: expiry },
      { label: 'Last used', render: lastUsed },
      // compact, so that a row keeps to one line at 1280 px: the day it was created, how long ago it was
      // modified (the exact instants in the tooltips)
      { label: 'Created', sort: 'createdAt', render: (t) => stamp(day(t.createdAt), t.createdBy) },
      { label: 'Last modified', sort: 'lastModified', render: (t) => stamp(ago(t.lastModified), t.lastModifiedBy) },
      // a user who may neither change nor delete tokens gets no Actions column
      ctx.can('tokens.write') || ctx.can('tokens.delete') ? { label: 'Actions', class: 'row-actions', render: actions } : null,
    ].filter(Boolean),
  });

  const revoke = h('button', { type: 'button', class: 'danger', disabled: true, onclick: () => bulkRevoke() }, 'Revoke selected');
  table.onSelectionChange = (selection) => {
    revoke.disabled = selection.size === 0;
    revoke.textContent = selection.size ? `Revoke selected (${selection.size})` : 'Revoke selected';
  };

  let typing;
  const nameFilter = h('input', { type: 'search', placeholder: 'part of a name', oninput: (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => { filter.name = e.target.value.trim(); table.reset(); }, 200);
  } });
  const stateFilter = h('select', { onchange: (e) => { filter.state = e.target.value; table.reset(); } },
    h('option', { value: '' }, 'All'), h('option', { value: 'enabled' }, 'Enabled'),
    h('option', { value: 'disabled' }, 'Disabled'), h('option', { value: 'expired' }, 'Expired'));

  const element = h('section', { class: 'panel', id: 'tokens-view' },
    h('div', { class: 'title-row' }, h('h1', {}, 'Tokens'),
      ctx.can('tokens.write') ? h('button', { type: 'button', class: 'primary', onclick: () => create() }, 'New token') : null),
    h('div', { class: 'toolbar' }, field('Filter by name', nameFilter), field('State', stateFilter),
      ctx.can('tokens.delete') ? revoke : null),
    table.element);

  /** "3 min ago" or "never" (the exact instant in the tooltip) and, with events.read, the last hour here. */
  function lastUsed(t) {
    let spark = null;
    if (stats) {
      const xs = minutes(stats.from);
      const own = stats.tokens.find((s) => s.id === t.id);
      const values = perMinute(xs, own ? [own.buckets] : [], answers);
      spark = sparkline(xs, values, { width: 48, height: 20,
        label: `${values.reduce((a, v) => a + v, 0)} answers on this instance in the last hour` });
    }
    // during a rotation overlap, a second line (the state cell has one too): when the previous secret was last used
    const previous = inOverlap(t) ? h('span', { class: 'hint block previous-used' }, 'previous: ', ago(t.previousSecretLastUsedAt)) : null;
    return h('span', { class: 'last-used-cell' }, h('span', { class: 'last-used', dataset: { lastUsed: t.lastUsedAt ?? '' } },
      ago(t.lastUsedAt), spark), previous);
  }

  function actions(t) {
    const write = ctx.can('tokens.write');
    const items = [
      write && { label: t.isDisabled ? 'Enable' : 'Disable', onSelect: () => setDisabled(t, !t.isDisabled) },
      write && { label: 'Rotate secret', onSelect: () => rotate(t) },
      write && inOverlap(t) && { label: 'End overlap', onSelect: () => endOverlap(t) },
      write && { label: 'Edit', onSelect: () => edit(t) },
      ctx.can('tokens.delete') && { label: 'Delete', danger: true, onSelect: () => remove(t) },
    ].filter(Boolean);
    return items.length ? actionMenu(`Actions for ${t.name}`, items, { focusKey: `token-menu:${t.id}` }) : h('span', { class: 'muted' }, '—');
  }

  async function create() {
    const token = await openDialog('New token', (close) => tokenForm(null, async (body) => {
      close(await api.post('/tokens', body));
    }, () => close(null)));
    if (!token) return null;
    if (element.isConnected) await table.refresh();
    if (await showSecretOnce(token, { offerAnother: true }) === 'another') await create();
    return token;
  }

  async function edit(t) {
    const updated = await openDialog(`Edit ${t.name}`, (close) => tokenForm(t, async (body) => {
      close(await api.patch(`/tokens/${t.id}`, body, t.version));
    }, () => close(null)));
    if (updated) { toast(`Saved ${updated.name}.`); await table.refresh(); }
  }

  async function setDisabled(t, disabled) {
    try {
      await api.patch(`/tokens/${t.id}`, { isDisabled: disabled }, t.version);
      toast(`${t.name} is ${disabled ? 'disabled: it is refused from the next request on' : 'enabled'}.`);
    } catch (e) {
      toast(problemText(e), 'error');
    }
    await table.refresh();
  }

  async function rotate(t) {
    const rotated = await openDialog(`Rotate the secret of ${t.name}`, (close) => {
      const choices = [['', 'None: the current secret stops at once'], ['PT1H', '1 hour'], ['P1D', '1 day'], ['P7D', '7 days']];
      const radios = choices.map(([value, label]) => h('label', { class: 'check-label' },
        h('input', { type: 'radio', name: 'overlap', value, checked: value === '' }), label));
      const body = () => {
        const chosen = radios.map((r) => r.querySelector('input')).find((i) => i.checked)?.value;
        return chosen ? { previousSecretValidFor: chosen } : {};
      };
      return apiForm(body, async (b) => close(await api.post(`/tokens/${t.id}/rotate`, b)),
        h('p', {}, 'A new secret is generated and shown once. Clients that still send the current secret can be ',
          'given time to move: during the overlap both secrets work.'),
        h('fieldset', {}, h('legend', {}, 'Keep the current secret valid for'), radios),
        inOverlap(t) ? h('p', { class: 'warning' }, 'This token is in an overlap already: its previous secret stops at once.') : null,
        h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'),
          h('button', { type: 'submit', class: 'primary' }, 'Rotate')));
    });
    if (!rotated) return;
    await table.refresh();
    await showSecretOnce(rotated, { offerAnother: false });
    if (rotated.previousSecretExpiresAt) {
      toast(`The previous secret of ${rotated.name} stays valid until ${time(rotated.previousSecretExpiresAt).textContent}.`);
    }
  }

  async function endOverlap(t) {
    if (!await confirmDialog(`End the overlap of ${t.name}?`,
      'The previous secret stops working at once; the current one is not touched.', 'End overlap')) return;
    try {
      await api.post(`/tokens/${t.id}/rotate`, { endOverlap: true });
      toast(`The previous secret of ${t.name} no longer works.`);
    } catch (e) {
      toast(problemText(e), 'error');
    }
    await table.refresh();
  }

  async function remove(t) {
    if (!await confirmDialog(`Delete ${t.name}?`, 'Clients using its secret are refused at once. This cannot be undone.', 'Delete')) return;
    try {
      await api.delete(`/tokens/${t.id}`);
      toast(`Deleted ${t.name}.`);
    } catch (e) {
      const inUse = e instanceof ApiError && e.problems.find((p) => p.reason === 'TokenInUse');
      if (inUse) await explainInUse([{ id: t.id, status: 'inUse', apiDefinitionIdLinks: inUse.apiDefinitionIdLinks }], { [t.id]: t.name });
      else toast(problemText(e), 'error');
    }
    await table.refresh();
  }

  async function bulkRevoke() {
    const ids = [...table.selection];
    const names = Object.fromEntries(table.items.filter((t) => table.selection.has(t.id)).map((t) => [t.id, t.name]));
    if (!await confirmDialog(`Revoke ${ids.length} token${ids.length === 1 ? '' : 's'}?`,
      `${Object.values(names).join(', ')} will be deleted. Tokens that an API still allows are kept, and the APIs are listed.`,
      'Revoke')) return;
    try {
      const answer = await api.post('/tokens/revoke', { ids });
      table.selection.clear();
      await explainInUse(answer.results, names);
    } catch (e) {
      toast(problemText(e), 'error');
    }
    await table.refresh();
  }

  /** The outcome of a revoke, with every kept token explained by links to the APIs that use it. */
  async function explainInUse(results, names) {
    const routes = {};
    for (const id of results.flatMap((r) => r.apiDefinitionIdLinks ?? [])) {
      routes[id] = await api.get(`/definitions/${id}`).then((d) => d.route, () => id);
    }
    await openDialog('Revoke result', (close) => h('div', { class: 'stack' },
      h('ul', { class: 'results' }, results.map((r) => h('li', { dataset: { status: r.status } },
        h('strong', {}, names[r.id] ?? r.id), ': ',
        r.status === 'deleted' ? 'revoked and deleted.'
          : r.status === 'notFound' ? 'already gone.'
            : h('span', {}, 'kept, because it is in use. Remove it from these APIs first, or disable it instead: ',
              ...r.apiDefinitionIdLinks.flatMap((id, i) => [i ? ', ' : '',
                h('a', { href: `#apis/${id}`, onclick: () => close() }, routes[id])]))))),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => close() }, 'Close'))));
  }

  /** The create form (token null) or the edit form; `submit` gets the request body. */
  function tokenForm(token, submit, cancel) {
    const name = h('input', { name: 'name', required: true, maxlength: '50', value: token?.name ?? '', autocomplete: 'off' });
    const nameError = h('span', { class: 'field-error', role: 'alert' });
    name.addEventListener('input', () => { nameError.textContent = checkTokenName(name.value) ?? ''; });
    const limit = rateLimitInput(token ? token.rateLimit : undefined);
    const expires = h('input', { type: 'date', name: 'expiresAt', min: new Date().toISOString().slice(0, 10) });
    const ranges = h('textarea', { name: 'allowedSourceRanges', rows: '3', class: 'mono', autocomplete: 'off',
      spellcheck: 'false', placeholder: '10.0.0.0/8\n2001:db8::/32' });
    ranges.value = (token?.allowedSourceRanges ?? []).join('\n');
    const rangeCheck = h('div', { class: 'range-check', role: 'status', 'aria-live': 'polite' });
    const showRanges = () => {
      const result = checkSourceRanges(ranges.value);
      ranges.setCustomValidity(result.ok ? '' : 'invalid source range');
      rangeCheck.className = `range-check ${result.ok ? 'ok' : 'bad'}`;
      rangeCheck.replaceChildren(...(result.ok
        ? [result.ranges ? `${result.ranges.length} block${result.ranges.length === 1 ? '' : 's'}` : 'Any address may use this token.']
        : result.problems.map((p) => h('span', { class: 'block' }, `Line ${p.line}: '${p.text.trim()}' ${p.problem}`))));
    };
    ranges.addEventListener('input', showRanges);
    showRanges();
    const body = () => {
      const value = { name: name.value.trim(), rateLimit: limit.value() };
      if (!token && expires.value) value.expiresAt = expires.value;
      const checked = checkSourceRanges(ranges.value);
      const chosen = checked.ok ? checked.ranges : ranges.value.split('\n').map((l) => l.trim()).filter(Boolean);
      if (token || chosen) value.allowedSourceRanges = chosen;
      return value;
    };
    return apiForm(body, submit,
      field('Name', name, 'Letters, digits, - and _, at most 50 characters.'), nameError,
      limit.element,
      field('Allowed source ranges (optional)', ranges,
        'One CIDR block or address per line, IPv4 or IPv6 (10.0.0.0/8, 2001:db8::/32, 192.0.2.1). Empty: any address.'),
      rangeCheck,
      token ? h('p', { class: 'hint' }, token.expiresAt ? 'The expiry is set at creation and cannot change.' : 'No expiry.')
        : field('Expires on (optional)', expires, 'The token works until 23:59:59 of that day, server time.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: cancel }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, token ? 'Save' : 'Generate')));
  }

  return {
    element,
    refresh: () => table.refresh(),
    create,
    onEvent: (event) => { if (event.objectType === 'token') ctx.debounce('tokens', () => table.refresh()); },
  };
}

function inOverlap(t) {
  return Boolean(t.previousSecretExpiresAt) && Date.parse(t.previousSecretExpiresAt) > Date.now();
}

/** While an overlap runs: until when the previous secret still works. */
function overlap(t) {
  if (!inOverlap(t)) return null;
  return h('span', { class: 'overlap hint block' }, 'previous secret valid until ', time(t.previousSecretExpiresAt));
}

/** The first 8 characters of the id (the whole one in the tooltip) and a button that copies all of it. */
function shortId(t) {
  return h('span', { class: 'short-id' }, h('code', { title: t.id }, t.id.slice(0, 8)),
    h('button', { type: 'button', class: 'icon copy', 'aria-label': 'Copy id', title: `Copy ${t.id}`, onclick: async () => {
      toast(await copyText(t.id) ? `Copied the id of ${t.name}.` : 'Copy failed.');
    } }));
}

/** A token limited to source ranges gets a badge; the blocks are in its tooltip. */
function sources(t) {
  const list = t.allowedSourceRanges;
  if (!list) return null;
  return h('span', { class: 'badge sources', title: `Only from ${list.join(', ')}` },
    list.length === 1 ? '1 range' : `${list.length} ranges`);
}

/** When and by whom, on one line. */
function stamp(when, by) {
  return h('span', { class: 'stamp' }, when, h('span', { class: 'hint' }, ` ${by}`));
}

/** The local day of an instant, the exact instant in the tooltip. */
function day(iso) {
  const element = time(iso);
  element.textContent = element.textContent.slice(0, 10);
  return element;
}

function stateQuery(state) {
  if (state === 'enabled') return { isDisabled: false, expired: false };
  if (state === 'disabled') return { isDisabled: true };
  if (state === 'expired') return { expired: true };
  return {};
}

function stateBadge(t) {
  if (t.isDisabled) return h('span', { class: 'badge off' }, 'Disabled');
  if (t.expiresAt && Date.parse(t.expiresAt) < Date.now()) return h('span', { class: 'badge expired' }, 'Expired');
  return h('span', { class: 'badge on' }, 'Enabled');
}

/** Expiry, marked when it has passed and when it is within seven days. */
function expiry(t) {
  if (!t.expiresAt) return h('span', { class: 'muted' }, 'Never');
  const left = Date.parse(t.expiresAt) - Date.now();
  if (left < 0) return h('span', { class: 'expiry passed', title: t.expiresAt }, time(t.expiresAt), ' ', h('span', { class: 'badge expired' }, 'expired'));
  if (left <= SOON) {
    const days = Math.round(left / DAY);
    return h('span', { class: 'expiry soon', title: t.expiresAt }, time(t.expiresAt), ' ',
      h('span', { class: 'badge soon' }, days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`));
  }
  return h('span', { class: 'expiry' }, time(t.expiresAt));
}
