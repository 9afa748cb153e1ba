// Small DOM helpers shared by the views. Everything that reaches the page goes through textContent or
// attributes, never innerHTML, so names and bodies typed by anyone are shown, not interpreted.

/** h('button', {type: 'button', onclick: f}, 'Save') builds an element; children may be strings or nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let hints = 0;

/**
 * A labelled form control: every input of the console has a visible label. The hint stays outside the
 * label (so the control's accessible name is just the label) and is linked as its description.
 */
export function field(label, control, hint) {
  const hintElement = hint ? h('span', { class: 'hint', id: `hint-${++hints}` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', {}, h('span', { class: 'label' }, label), control), hintElement);
}

/** An instant as local "YYYY-MM-DD HH:MM", with the exact UTC value in the tooltip. */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return h('time', { datetime: iso, title: iso }, text);
}

/** How long ago an instant was, as "just now", "3 min ago", "2 h ago" or "4 d ago" ("never" for none); the instant in the tooltip. */
export function ago(iso, now = Date.now()) {
  if (!iso) return h('span', { class: 'muted ago' }, 'never');
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const text = seconds < 10 ? 'just now' : seconds < 60 ? `${seconds} s ago` : seconds < 3600 ? `${Math.floor(seconds / 60)} min ago`
    : seconds < 86400 ? `${Math.floor(seconds / 3600)} h ago` : `${Math.floor(seconds / 86400)} d ago`;
  return h('time', { class: 'ago', datetime: iso, title: iso }, text);
}

/** ISO-8601 duration (as the API writes it, e.g. PT1M, PT24H) to a short form: 1m, 1d, 1h30m. */
export function shortDuration(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso || '');
  if (!m) return iso;
  let seconds = (+m[1] || 0) * 86400 + (+m[2] || 0) * 3600 + (+m[3] || 0) * 60 + (+m[4] || 0);
  const parts = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]]) {
    if (seconds >= size) {
      parts.push(Math.floor(seconds / size) + unit);
      seconds %= size;
    }
  }
  return parts.join('') || '0s';
}

export function rateLimitText(rateLimit) {
  return rateLimit ? `${rateLimit.limit} / ${shortDuration(rateLimit.window)}` : 'None';
}

let toastTimer;
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = `toast ${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
}

/**
 * Opens a modal dialog built by `build(close)` and resolves with the value passed to close(). The dialog
 * leaves the document in the same task that closes it, so nothing it showed (a secret) stays in the page.
 * Not on the 'close' event: the browser fires that a task later, and until then a closed <dialog> is
 * invisible but still in the DOM, secret and all (a page script or page.content() would still read it).
 */
export function openDialog(title, build, { mayCancel = () => true } = {}) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { 'aria-label': title });
    // focus goes back to the control that opened the dialog; when a table re-rendered that control's row
    // meanwhile, to the control with the same data-focus key
    const opener = document.activeElement;
    const focusKey = opener?.dataset?.focus;
    let finished = false;
    const close = (value) => {
      if (finished) return;
      finished = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      restoreFocus(opener, focusKey);
      resolve(value);
    };
    // Escape: handled here rather than left to the browser, so that it removes the dialog at once too;
    // the secret dialog refuses it until "I have saved it" is checked
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      if (mayCancel()) close(undefined);
    });
    dialog.addEventListener('close', () => close(undefined));
    dialog.append(h('h2', {}, title), build(close));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Focuses `element`, or (when it left the page) the element carrying the same data-focus key. */
export function restoreFocus(element, focusKey) {
  const target = element?.isConnected ? element
    : focusKey ? document.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`) : null;
  target?.focus();
}

export async function confirmDialog(title, message, action = 'Confirm') {
  return openDialog(title, (close) => h('div', { class: 'stack' },
    h('p', {}, message),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => close(false) }, 'Cancel'),
      h('button', { type: 'button', class: 'danger', onclick: () => close(true) }, action)))) .then(Boolean);
}

/**
 * Copies text. The asynchronous Clipboard API needs a secure context (https or localhost); a sidecar
 * reached over plain http by its pod address is not one, so the old selection-based copy is the fallback.
 */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch { /* fall through */ }
  }
  const area = h('textarea', { readonly: true, 'aria-hidden': 'true', class: 'offscreen' });
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

/**
 * A dialog form that sends `body()` with `submit` and, when the server refuses, shows its messages in
 * the form and keeps everything typed. Children follow the options, as with h().
 */
export function apiForm(body, submit, ...children) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'stack', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await submit(body());
    } catch (err) {
      error.textContent = problemText(err);
      error.hidden = false;
    }
  } }, ...children);
  form.lastElementChild.before(error);
  return form;
}

/**
 * The messages of a management API error, one line per error. A 403 is said in plain words: the signed-in
 * user lacks the permission (it may have been taken away since the sign-in, which decided the views shown).
 */
export function problemText(error) {
  if (error?.status === 403) {
    const said = error.problems?.map((p) => p.message).join(' ');
    return `Not allowed: ${said ? `the server says ${said}` : 'your user lacks the permission for this'}. `
      + 'Permissions may have changed since you signed in; an admin who may manage users can grant it. '
      + 'Sign in again to see the views you may use.';
  }
  return error?.problems?.map((p) => p.message).join(' ') || error?.message || String(error);
}
