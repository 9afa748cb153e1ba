import { copyText, h, openDialog } from '../dom.js';

/**
 * Shows a token's secret the one time the API returns it. The dialog stays until the user confirms
 * they saved it; when it closes it is removed from the page and the secret is dropped with it.
 * Resolves with 'another' when the user asks to create another token, else 'done'.
 */
export async function showSecretOnce(token, { offerAnother, title = `Secret of ${token.name}`, what = 'secret',
  label = 'Secret' }) {
  let saved = false;
  let field;
  const answer = await openDialog(title, (close) => {
    // the value as a property, never as an attribute, so that it is not part of the page's markup
    const secret = h('input', { class: 'mono secret', readonly: true, 'aria-label': label });
    secret.value = token.secret;
    field = secret;
    const copied = h('span', { class: 'hint', role: 'status' });
    const done = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => close('done') }, 'Done');
    const another = offerAnother
      ? h('button', { type: 'button', disabled: true, onclick: () => close('another') }, 'Create another token')
      : null;
    const confirm = h('input', { type: 'checkbox', onchange: (e) => {
      saved = e.target.checked;
      done.disabled = !saved;
      if (another) another.disabled = !saved;
    } });
    return h('div', { class: 'stack' },
      h('p', { class: 'warning' }, `This is the only time the ${what} is shown. Copy it and keep it somewhere safe: `,
        'udapi stores only a hash and cannot show it again.'),
      h('div', { class: 'row' }, secret,
        h('button', { type: 'button', onclick: async () => {
          copied.textContent = (await copyText(secret.value)) ? 'Copied to the clipboard.' : `Copy failed: select the ${what} and copy it by hand.`;
        } }, 'Copy')),
      copied,
      h('label', { class: 'check-label' }, confirm, `I have saved the ${what}`),
      h('div', { class: 'actions' }, another, done));
  }, { mayCancel: () => saved });
  // the dialog is gone from the page; drop the secret from the field and from the API's answer as well,
  // so no object the console keeps (a view's last result) still holds it
  field.value = '';
  delete token.secret;
  return answer;
}
