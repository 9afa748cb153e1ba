import { answers, destroySparklines, latencyChart, minutes, OUTCOMES, outcomeChart, perMinute, sparkline } from '../charts.js';
import { h } from '../dom.js';

/** How often the dashboard asks for new counts while it is shown. */
export const REFRESH_MS = 5000;
const TOP = 10;

/**
 * The dashboard: this instance's triggers of the last hour from GET /admin/v1/stats (docs/api.md, "Trigger
 * statistics"), refreshed every few seconds while the view is shown. The instance totals add up the
 * definitions' counts (an answer is counted for its definition once the route matched).
 */
export function dashboardView(ctx) {
  const { api } = ctx;
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o.key,
    h('dd', { id: `dash-total-${o.key}`, class: 'total', dataset: { value: '0' } }, '0')]));
  const totalAll = h('dd', { id: 'dash-total-answers', class: 'total', dataset: { value: '0' } }, '0');
  const node = h('span', { class: 'muted', id: 'dash-node' });
  const updated = h('span', { class: 'muted', id: 'dash-updated' });

  const outcomeBox = h('div', { class: 'chart', 'aria-hidden': 'true' });
  const outcomeText = h('table', { class: 'offscreen', id: 'dash-outcomes-table' });
  const outcomeFigure = h('figure', { class: 'chart-card', 'aria-labelledby': 'dash-outcomes-title' },
    h('figcaption', { id: 'dash-outcomes-title' }, 'Triggers per minute by outcome'), outcomeBox, outcomeText);
  const latencyBox = h('div', { class: 'chart', 'aria-hidden': 'true' });
  const latencyText = h('table', { class: 'offscreen', id: 'dash-latency-table' });
  const latencyFigure = h('figure', { class: 'chart-card', 'aria-labelledby': 'dash-latency-title' },
    h('figcaption', { id: 'dash-latency-title' }, 'Latency per minute, p50 and p99 (ms)'), latencyBox, latencyText);

  const apisBody = h('tbody');
  const tokensBody = h('tbody');
  const leadersBody = h('tbody');

  const element = h('section', { class: 'panel', id: 'dashboard-view' },
    h('div', { class: 'title-row' }, h('h1', {}, 'Dashboard'),
      h('p', { class: 'hint' }, 'This instance, last hour, per minute. ', node, ' ', updated)),
    h('dl', { class: 'totals', id: 'dash-totals' },
      h('div', {}, h('dt', {}, 'Answers'), totalAll),
      OUTCOMES.map((o) => h('div', { class: `outcome ${o.key}` }, h('dt', {}, o.label), totals[o.key]))),
    h('div', { class: 'dash-charts' }, outcomeFigure, latencyFigure),
    h('div', { class: 'dash-tables' },
      table('dash-apis', 'Top APIs by traffic', 'API', apisBody, true),
      table('dash-tokens', 'Top tokens by traffic', 'Token', tokensBody, true),
      h('div', { class: 'dash-table' }, h('h2', { id: 'dash-leaders-title' }, '429 leaders'),
        h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'dash-leaders-title' },
          h('table', { class: 'cards', id: 'dash-leaders' },
            h('caption', { class: 'offscreen' }, 'Tokens with the most rate-limited (429) answers in the last hour'),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Token'),
              ['Rate-limited', 'Share of its answers'].map((c) => h('th', { scope: 'col', class: 'num' }, c)))),
            leadersBody)))));

  let outcomes = null;
  let latency = null;
  let timer = null;
  let generation = 0;

  async function load() {
    const stats = await api.get('/stats');
    if (!element.isConnected) return;
    outcomes ??= outcomeChart(outcomeBox);
    latency ??= latencyChart(latencyBox);
    const xs = minutes(stats.from);
    const definitionBuckets = stats.definitions.map((d) => d.buckets);
    const series = OUTCOMES.map((o) => perMinute(xs, definitionBuckets, (b) => b[o.key]));
    outcomes.update(xs, series);

    // p50: the admitted-weighted mean of the definitions' medians; p99: the highest of their p99s
    const weight = perMinute(xs, definitionBuckets, (b) => (b.p50Ms == null ? 0 : b.admitted));
    const p50sum = perMinute(xs, definitionBuckets, (b) => (b.p50Ms == null ? 0 : b.p50Ms * b.admitted));
    const p50 = xs.map((_, i) => (weight[i] ? p50sum[i] / weight[i] : null));
    const p99 = xs.map(() => null);
    for (const buckets of definitionBuckets) {
      for (const b of buckets) {
        const i = xs.indexOf(Date.parse(b.at) / 1000);
        if (i >= 0 && b.p99Ms != null) p99[i] = Math.max(p99[i] ?? 0, b.p99Ms);
      }
    }
    latency.update(xs, p50, p99);

    const sums = OUTCOMES.map((_, i) => series[i].reduce((s, v) => s + v, 0));
    OUTCOMES.forEach((o, i) => setNumber(totals[o.key], sums[i]));
    setNumber(totalAll, sums.reduce((s, v) => s + v, 0));
    outcomeFigure.setAttribute('aria-describedby', 'dash-outcomes-table');
    outcomeText.replaceChildren(h('caption', {}, `Answers per minute by outcome: ${OUTCOMES.map((o, i) => `${sums[i]} ${o.label.toLowerCase()}`).join(', ')}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Minute'), OUTCOMES.map((o) => h('th', { scope: 'col' }, o.label)))),
      h('tbody', {}, xs.map((x, i) => (series.some((s) => s[i]) ? h('tr', { dataset: { at: new Date(x * 1000).toISOString() } },
        h('th', { scope: 'row' }, clock(x)), series.map((s, k) => h('td', { dataset: { outcome: OUTCOMES[k].key } }, String(s[i])))) : null))));
    const worst = Math.max(0, ...p99.filter((v) => v != null));
    latencyText.replaceChildren(h('caption', {}, p99.some((v) => v != null)
      ? `Latency per minute; the highest p99 of the hour is ${worst.toFixed(1)} ms` : 'Latency per minute: no admitted request in the last hour'),
      h('thead', {}, h('tr', {}, ['Minute', 'p50 ms', 'p99 ms'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, xs.map((x, i) => (p50[i] == null ? null : h('tr', {}, h('th', { scope: 'row' }, clock(x)),
        h('td', {}, p50[i].toFixed(1)), h('td', {}, p99[i] == null ? '—' : p99[i].toFixed(1)))))));

    destroySparklines(apisBody);
    destroySparklines(tokensBody);
    apisBody.replaceChildren(...rows(stats.definitions, xs, (d) => h('code', {}, d.route)));
    tokensBody.replaceChildren(...rows(stats.tokens, xs, (t) => h('strong', {}, t.name)));
    const leaders = stats.tokens.map((t) => ({ t, limited: sum(t.buckets, (b) => b.rateLimited), all: sum(t.buckets, answers) }))
      .filter((x) => x.limited > 0).sort((a, b) => b.limited - a.limited || a.t.name.localeCompare(b.t.name)).slice(0, TOP);
    leadersBody.replaceChildren(...(leaders.length ? leaders.map(({ t, limited, all }) => h('tr', { dataset: { id: t.id } },
      h('td', { dataset: { label: 'Token' } }, h('strong', {}, t.name)),
      h('td', { class: 'num', dataset: { label: 'Rate-limited', outcome: 'rateLimited', value: String(limited) } }, String(limited)),
      h('td', { class: 'num', dataset: { label: 'Share' } }, `${Math.round((100 * limited) / all)} %`)))
      : [h('tr', {}, h('td', { colspan: '3', class: 'empty' }, 'No token was rate-limited in the last hour.'))]));

    node.textContent = `Node ${stats.nodeId}.`;
    const now = new Date();
    updated.textContent = `Updated ${now.toLocaleTimeString()}.`;
    element.dataset.from = new Date(xs[0] * 1000).toISOString();
    element.dataset.refreshes = String(++generation);
  }

  function schedule() {
    stop();
    timer = setInterval(() => {
      if (!element.isConnected) { stop(); return; }
      load().catch(() => {});
    }, REFRESH_MS);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
  }

  return {
    element,
    refresh: async () => { schedule(); await load(); },
    leave: stop,
    onEvent: () => {},
  };
}

function table(id, title, first, body, spark) {
  return h('div', { class: 'dash-table' }, h('h2', { id: `${id}-title` }, title),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': `${id}-title` },
      h('table', { class: 'cards', id },
        h('caption', { class: 'offscreen' }, `${title}, last hour, the ${TOP} with the most answers`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, first), spark ? h('th', { scope: 'col' }, 'Last hour') : null,
          ['Admitted', '429', 'Rejected', 'Errors', 'Total'].map((c) => h('th', { scope: 'col', class: 'num' }, c)))),
        body)));
}

/** The TOP objects with the most answers, each with a sparkline of its answers per minute. */
function rows(objects, xs, name) {
  const ranked = objects.map((o) => ({ o, total: sum(o.buckets, answers) }))
    .sort((a, b) => b.total - a.total).slice(0, TOP);
  if (!ranked.length) return [h('tr', {}, h('td', { colspan: '7', class: 'empty' }, 'No trigger in the last hour.'))];
  return ranked.map(({ o, total }) => {
    const cells = OUTCOMES.map((c) => {
      const n = sum(o.buckets, (b) => b[c.key]);
      return h('td', { class: 'num', dataset: { label: c.key === 'rateLimited' ? '429' : c.label.split(' ')[0], outcome: c.key, value: String(n) } }, String(n));
    });
    return h('tr', { dataset: { id: o.id } },
      h('td', { dataset: { label: 'Name' } }, name(o)),
      h('td', { dataset: { label: 'Last hour' } }, sparkline(xs, perMinute(xs, [o.buckets], answers))),
      cells,
      h('td', { class: 'num', dataset: { label: 'Total', outcome: 'total', value: String(total) } }, h('strong', {}, String(total))));
  });
}

function sum(buckets, pick) {
  return buckets.reduce((s, b) => s + pick(b), 0);
}

function setNumber(el, n) {
  el.textContent = n.toLocaleString('en');
  el.dataset.value = String(n);
}

function clock(x) {
  const d = new Date(x * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
