import { h } from './dom.js';

let open = null;

/**
 * A compact row menu (the WAI-ARIA menu button pattern): a button that opens a list of actions. Enter,
 * Space or ArrowDown open it on the first item, ArrowUp on the last; arrows, Home and End move; Escape and
 * Tab close it and give focus back to the button; a click outside closes it. The menu is placed with
 * `position: fixed` next to the button (and follows it on scroll), so a table's scroll box does not clip it.
 * When a table re-renders the row meanwhile, the menu stays open and acts on the row it was opened for.
 *
 * items: [{ label, onSelect, danger? }]; falsy entries are skipped. `focusKey` names the button for the
 * table, which puts focus back on the same row's button when it re-renders the row.
 */
export function actionMenu(label, items, { focusKey } = {}) {
  const actions = items.filter(Boolean);
  const button = h('button', { type: 'button', class: 'menu-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
    'aria-label': label, dataset: focusKey ? { focus: focusKey } : {} }, 'Actions ▾');
  let menu = null;

  const close = (refocus) => {
    if (!menu) return;
    menu.remove();
    menu = null;
    open = null;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    window.removeEventListener('scroll', scrolled, true);
    window.removeEventListener('resize', scrolled);
    if (refocus) button.focus();
  };
  const place = () => {
    const r = button.getBoundingClientRect();
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    menu.style.left = `${Math.max(4, Math.min(r.right - width, innerWidth - width - 4))}px`;
    menu.style.top = `${r.bottom + height + 4 <= innerHeight ? r.bottom + 2 : Math.max(4, r.top - height - 2)}px`;
  };
  // a fixed menu follows its button when the page scrolls or resizes
  const scrolled = () => { if (menu && button.isConnected) place(); };
  const outside = (e) => { if (menu && !menu.contains(e.target) && e.target !== button) close(false); };

  const show = (which) => {
    if (open && open !== close) open(false);
    const entries = actions.map((a) => h('button', { type: 'button', role: 'menuitem', tabindex: '-1',
      class: a.danger ? 'danger' : undefined, onclick: () => { close(true); a.onSelect(); } }, a.label));
    menu = h('div', { role: 'menu', class: 'menu', 'aria-label': label, onkeydown: (e) => {
      const i = entries.indexOf(document.activeElement);
      const move = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: entries.length - 1 }[e.key];
      if (move !== undefined) {
        e.preventDefault();
        entries[(move + entries.length) % entries.length].focus();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close(true);
      } else if (e.key === 'Tab') {
        e.preventDefault();
        close(true);
      }
    } }, entries);
    // inside an open modal dialog only its own subtree is interactive; elsewhere it stays in the main landmark
    (button.closest('dialog') ?? button.closest('main') ?? document.body).append(menu);
    place();
    button.setAttribute('aria-expanded', 'true');
    open = close;
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('scroll', scrolled, true);
    window.addEventListener('resize', scrolled);
    entries[which === 'last' ? entries.length - 1 : 0]?.focus();
  };

  button.addEventListener('click', () => (menu ? close(true) : show('first')));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      show(e.key === 'ArrowUp' ? 'last' : 'first');
    }
  });
  // Enter and Space activate the button (a click), which opens the menu on its first item
  return button;
}

/** Closes the open menu, if any (a view that re-renders calls this). */
export function closeMenus() {
  open?.(false);
}
