import { ApiError } from '../api.js';
import { apiForm, confirmDialog, field, h, openDialog, problemText, time, toast } from '../dom.js';
import { actionMenu } from '../menu.js';
import { checkTokenName } from '../rules.js';
import { showSecretOnce } from './secret-dialog.js';

/** The permissions of docs/api.md, in plain words. */
export const PERMISSIONS = [
  ['tokens.read', 'See tokens'],
  ['tokens.write', 'Create, change, enable, disable and rotate tokens; report leaked secrets'],
  ['tokens.delete', 'Delete and revoke tokens'],
  ['definitions.read', 'See APIs, download their OpenAPI document, use the trigger tester'],
  ['definitions.write', 'Create and change APIs'],
  ['definitions.delete', 'Delete APIs'],
  ['events.read', 'See the audit log and its live updates'],
  ['users.manage', 'Manage admin users, this view included'],
];

const MIN_PASSWORD = 12;

/** A password of 24 characters from a 62-letter alphabet (about 143 bits), from the browser's CSPRNG. */
export function generatePassword() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const out = [];
  while (out.length < 24) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < 248 && out.length < 24) out.push(alphabet[byte % 62]); // 248 = 4 × 62: no modulo bias
    }
  }
  return out.join('');
}

/** The admin users view (docs/api.md, "Admin users"): only for users holding users.manage. */
export function usersView(ctx) {
  const { api } = ctx;
  const body = h('tbody');
  const count = h('span', { class: 'muted' });

  const element = h('section', { class: 'panel', id: 'users-view' },
    h('div', { class: 'title-row' }, h('h1', {}, 'Admin users'),
      h('button', { type: 'button', class: 'primary', onclick: () => create() }, 'New user')),
    h('p', { class: 'hint' }, 'People and programs that sign in to this console and the management API. ',
      'At least one user always keeps the permission to manage users.'),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Admin users' }, h('table', { class: 'cards' },
      h('caption', { class: 'offscreen' }, 'Admin users'),
      h('thead', {}, h('tr', {}, ['Name', 'Permissions', 'Created', 'Last modified', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      body)),
    h('div', { class: 'pager' }, count));

  function row(u) {
    const cell = (label, content, cls) => h('td', { class: cls, dataset: { label } }, content);
    return h('tr', { dataset: { id: u.name } },
      cell('Name', h('strong', {}, u.name)),
      cell('Permissions', u.permissions.length
        ? h('ul', { class: 'chips' }, u.permissions.map((p) => h('li', { title: describe(p) }, p)))
        : h('span', { class: 'muted' }, 'none')),
      cell('Created', h('span', { class: 'stamp' }, time(u.createdAt), h('span', { class: 'hint' }, ` ${u.createdBy}`))),
      cell('Last modified', h('span', { class: 'stamp' }, time(u.lastModified), h('span', { class: 'hint' }, ` ${u.lastModifiedBy}`))),
      cell('Actions', actionMenu(`Actions for ${u.name}`, [
        { label: 'Edit permissions', onSelect: () => edit(u) },
        { label: 'Set password', onSelect: () => setPassword(u) },
        { label: 'Delete', danger: true, onSelect: () => remove(u) },
      ], { focusKey: `user-menu:${u.name}` }), 'row-actions'));
  }

  async function load() {
    const answer = await api.get('/users');
    const focusKey = body.contains(document.activeElement) ? document.activeElement.dataset.focus : undefined;
    body.replaceChildren(...answer.items.map(row));
    if (focusKey) body.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus();
    count.textContent = `${answer.total} user${answer.total === 1 ? '' : 's'}`;
  }

  async function create() {
    let password;
    const user = await openDialog('New user', (close) => userForm(null, async (b) => {
      password = b.password;
      close(await api.post('/users', b));
    }, () => close(null)));
    if (!user) return;
    await load();
    await showSecretOnce({ name: user.name, secret: password }, { offerAnother: false,
      title: `Password of ${user.name}`, what: 'password', label: 'Password' });
    password = undefined;
  }

  async function edit(u) {
    const saved = await openDialog(`Permissions of ${u.name}`, (close) => {
      const boxes = permissionBoxes(new Set(u.permissions));
      return apiForm(() => ({ permissions: boxes.value() }), async (b) => {
        try {
          close(await api.patch(`/users/${encodeURIComponent(u.name)}`, b, u.version));
        } catch (e) {
          throw lastManager(e, u.name, 'take users.manage away from');
        }
      }, boxes.element, h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, 'Save')));
    });
    if (saved) { toast(`Saved the permissions of ${saved.name}.`); await load(); }
  }

  async function setPassword(u) {
    let password;
    const saved = await openDialog(`New password for ${u.name}`, (close) => {
      const pw = passwordChoice();
      return apiForm(() => ({ password: pw.value() }), async (b) => {
        password = b.password;
        close(await api.patch(`/users/${encodeURIComponent(u.name)}`, b, u.version));
      }, pw.element, h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => close(null) }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, 'Set password')));
    });
    if (!saved) return;
    await load();
    await showSecretOnce({ name: u.name, secret: password }, { offerAnother: false,
      title: `Password of ${u.name}`, what: 'password', label: 'Password' });
  }

  async function remove(u) {
    if (!await confirmDialog(`Delete ${u.name}?`, `${u.name} can no longer sign in, from the next request on.`, 'Delete')) return;
    try {
      await api.delete(`/users/${encodeURIComponent(u.name)}`);
      toast(`Deleted ${u.name}.`);
    } catch (e) {
      const explained = lastManager(e, u.name, 'delete');
      await openDialog('Not deleted', (close) => h('div', { class: 'stack' },
        h('p', { class: 'error', role: 'alert' }, problemText(explained)),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => close() }, 'Close'))));
    }
    await load();
  }

  /** The last-manager refusal (409 LastManager) in plain words; other errors unchanged. */
  function lastManager(e, name, verb) {
    if (!(e instanceof ApiError) || !e.has('LastManager')) return e;
    return new ApiError(409, [{ reason: 'LastManager', message: `You cannot ${verb} ${name}: it is the last user allowed `
      + 'to manage users, and without one nobody could administer udapi any more. Give "Manage admin users" '
      + '(users.manage) to another user first.' }]);
  }

  function userForm(u, submit, cancel) {
    const name = h('input', { name: 'name', required: true, maxlength: '50', autocomplete: 'off' });
    const nameError = h('span', { class: 'field-error', role: 'alert' });
    name.addEventListener('input', () => { nameError.textContent = checkTokenName(name.value)?.replace('a token name', 'a user name') ?? ''; });
    const pw = passwordChoice();
    const boxes = permissionBoxes(new Set());
    return apiForm(() => ({ name: name.value.trim(), password: pw.value(), permissions: boxes.value() }), submit,
      field('User name', name, 'Letters, digits, - and _, at most 50 characters. It cannot change later.'), nameError,
      pw.element, boxes.element,
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: cancel }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, 'Create user')));
  }

  /** Generate (the default) or type a password; the generated one is shown once after the save. */
  function passwordChoice() {
    const generate = h('input', { type: 'radio', name: 'password-mode', value: 'generate', checked: true });
    const type = h('input', { type: 'radio', name: 'password-mode', value: 'type' });
    const typed = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: String(MIN_PASSWORD), disabled: true });
    const sync = () => { typed.disabled = !type.checked; typed.required = type.checked; };
    generate.addEventListener('change', sync);
    type.addEventListener('change', sync);
    let generated = generatePassword();
    return {
      element: h('fieldset', {}, h('legend', {}, 'Password'),
        h('label', { class: 'check-label' }, generate, 'Generate a strong password (shown once after saving)'),
        h('label', { class: 'check-label' }, type, 'Type a password'),
        field('Typed password', typed, `At least ${MIN_PASSWORD} characters.`)),
      value: () => (type.checked ? typed.value : generated),
    };
  }

  function permissionBoxes(selected) {
    const boxes = PERMISSIONS.map(([p, text]) => h('input', { type: 'checkbox', name: 'permission', value: p, checked: selected.has(p) }));
    return {
      element: h('fieldset', { class: 'permissions' }, h('legend', {}, 'Permissions'),
        PERMISSIONS.map(([p, text], i) => h('label', { class: 'check-label' }, boxes[i],
          h('span', {}, text, ' ', h('code', { class: 'hint' }, p))))),
      value: () => boxes.filter((b) => b.checked).map((b) => b.value),
    };
  }

  return {
    element,
    refresh: load,
    onEvent: (event) => { if (event.objectType === 'user') ctx.debounce('users', load); },
  };
}

function describe(permission) {
  return PERMISSIONS.find(([p]) => p === permission)?.[1] ?? permission;
}
