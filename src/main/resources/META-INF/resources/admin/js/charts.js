// Charts of the console, all drawn by uPlot (vendor/uplot/, unpacked from its WebJar by the Maven build).
// A chart's canvas is hidden from assistive technology; every chart comes with a text alternative next to it
// (a table or a label with the numbers), built by the view that shows it.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';

export const OUTCOMES = [
  { key: 'admitted', label: 'Admitted', color: '#2e7d32' },
  { key: 'rateLimited', label: 'Rate-limited (429)', color: '#c77700' },
  { key: 'rejected', label: 'Rejected', color: '#6941c6' },
  { key: 'errors', label: 'Errors (5xx)', color: '#c62828' },
];

const MINUTE = 60_000;

/**
 * The 60 minutes of a stats answer (`from` up to the current minute) as epoch seconds, and for a list of
 * bucket lists the per-minute values: `pick(bucket)` summed over the lists, 0 for a minute without a bucket.
 */
export function minutes(from) {
  const start = Date.parse(from);
  return Array.from({ length: 60 }, (_, i) => (start + i * MINUTE) / 1000);
}

export function perMinute(xs, bucketLists, pick) {
  const index = new Map(xs.map((x, i) => [x * 1000, i]));
  const values = xs.map(() => 0);
  for (const buckets of bucketLists) {
    for (const b of buckets) {
      const i = index.get(Date.parse(b.at));
      if (i !== undefined) values[i] += pick(b);
    }
  }
  return values;
}

export const answers = (b) => b.admitted + b.rateLimited + b.rejected + b.errors;

/**
 * Answers per minute by outcome as stacked bars: uPlot draws each series over the previous one, so the
 * series are the running sums from the top outcome down, and the legend shows each outcome's own count.
 */
export function outcomeChart(box, height = 220) {
  let raw = OUTCOMES.map(() => []);
  const reversed = [...OUTCOMES].reverse();
  const bars = uPlot.paths.bars({ size: [0.8, 30] });
  const plot = new uPlot({
    width: width(box), height,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
    series: [{ label: 'Minute' }, ...reversed.map((o) => ({
      label: o.label, stroke: o.color, fill: o.color, width: 0, paths: bars, points: { show: false },
      value: (u, v, si, i) => (i == null ? '—' : String(raw[OUTCOMES.length - si][i] ?? 0)),
    }))],
    axes: [{}, { size: 44, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] }],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  }, [[], [], [], [], []], box);
  return {
    plot,
    update(xs, series) {
      raw = series;
      const sums = OUTCOMES.map((_, i) => xs.map((__, m) => series.slice(0, i + 1).reduce((s, v) => s + v[m], 0)));
      fit(plot, box, height);
      plot.setData([xs, ...sums.reverse()]);
    },
  };
}

/** p50 and p99 latency per minute, in ms, with gaps for minutes without an admitted request. */
export function latencyChart(box, height = 220) {
  const plot = new uPlot({
    width: width(box), height,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max ?? 1) * 1.15))] } },
    series: [{ label: 'Minute' },
      { label: 'p50 ms', stroke: '#2454c5', width: 2, points: { show: true, size: 4 }, value: (u, v) => (v == null ? '—' : v.toFixed(1)) },
      { label: 'p99 ms', stroke: '#c62828', width: 2, points: { show: true, size: 4 }, value: (u, v) => (v == null ? '—' : v.toFixed(1)) }],
    axes: [{}, { size: 50 }],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  }, [[], [], []], box);
  return {
    plot,
    update(xs, p50, p99) {
      fit(plot, box, height);
      plot.setData([xs, p50, p99]);
    },
  };
}

/**
 * A sparkline: one uPlot line of 60 per-minute values, no axes, no legend, no cursor. It is decoration
 * (aria-hidden); the numbers beside it, or the wrapper's label, say the same in text.
 */
export function sparkline(xs, values, { width: w = 120, height = 28, color = '#2454c5', label } = {}) {
  const total = values.reduce((s, v) => s + v, 0);
  const wrapper = h('span', { class: 'sparkline', role: 'img', 'aria-label': label ?? `${total} answers in the last hour`,
    dataset: { sparkline: '', total: String(total) } });
  const canvas = h('span', { 'aria-hidden': 'true' });
  wrapper.append(canvas);
  const plot = new uPlot({
    width: w, height, pxAlign: false,
    scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    series: [{}, { stroke: color, fill: `${color}22`, width: 1.5, points: { show: false } }],
    axes: [{ show: false }, { show: false }],
    legend: { show: false },
    cursor: { show: false },
    select: { show: false },
  }, [xs, values], canvas);
  wrapper.destroy = () => plot.destroy();
  return wrapper;
}

/** Ends the sparklines inside `container` before it is re-rendered (each uPlot holds a window listener). */
export function destroySparklines(container) {
  for (const spark of container.querySelectorAll('[data-sparkline]')) spark.destroy?.();
}

function width(box) {
  return Math.max(200, box.clientWidth || 600);
}

/** Follows the width of the chart's box (a resized window, a phone). */
function fit(plot, box, height) {
  const w = width(box);
  if (Math.abs(w - plot.width) > 1) plot.setSize({ width: w, height });
}
