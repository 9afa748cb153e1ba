import { field, h } from '../dom.js';

const UNITS = [['S', 'seconds'], ['M', 'minutes'], ['H', 'hours'], ['D', 'days']];

/**
 * The rate-limit controls of the token forms: off, or `limit` requests per `amount unit`. The API takes
 * { limit: 1..100, window: ISO-8601 duration PT1S..P1D }; the server has the last word on the range.
 */
export function rateLimitInput(current = { limit: 60, window: 'PT1M' }) {
  const [amount, unit] = parseWindow(current?.window ?? 'PT1M');
  const enabled = h('input', { type: 'checkbox', checked: current !== null, name: 'limited' });
  const limit = h('input', { type: 'number', min: '1', max: '100', required: true, name: 'limit', value: String(current?.limit ?? 60) });
  const windowAmount = h('input', { type: 'number', min: '1', required: true, name: 'windowAmount', value: String(amount) });
  const windowUnit = h('select', { name: 'windowUnit' },
    UNITS.map(([code, label]) => h('option', { value: code, selected: code === unit }, label)));
  const detail = h('div', { class: 'row wrap' },
    field('Requests', limit), field('per', windowAmount), field('Window unit', windowUnit));
  const sync = () => { for (const c of [limit, windowAmount, windowUnit]) c.disabled = !enabled.checked; };
  enabled.addEventListener('change', sync);
  sync();
  return {
    element: h('fieldset', {}, h('legend', {}, 'Rate limit per API'),
      h('label', { class: 'check-label' }, enabled, 'Limit how often this token may trigger each API'), detail),
    value() {
      if (!enabled.checked) return null;
      const n = windowAmount.value;
      const window = windowUnit.value === 'D' ? `P${n}D` : `PT${n}${windowUnit.value}`;
      return { limit: Number(limit.value), window };
    },
  };
}

function parseWindow(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return [1, 'M'];
  const [, d, hours, minutes, seconds] = m.map((x) => (x === undefined ? 0 : Number(x)));
  const total = d * 86400 + hours * 3600 + minutes * 60 + seconds;
  for (const [code, size] of [['D', 86400], ['H', 3600], ['M', 60]]) {
    if (total % size === 0) return [total / size, code];
  }
  return [total, 'S'];
}
