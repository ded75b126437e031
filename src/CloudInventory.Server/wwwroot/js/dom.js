// Building blocks of every page: elements (text only, never HTML), API calls, tables and charts.

/** An element with attributes and children; strings become text nodes, so any value renders as text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export class ApiError extends Error {}

/** GET or POST under /api/v1; an error response becomes an ApiError with the server's message. */
export async function api(path, params = {}, body) {
  const url = new URL('/api/v1/' + path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach(v => url.searchParams.append(key, v));
    else url.searchParams.set(key, value);
  }
  const response = await fetch(url, body === undefined
    ? { credentials: 'same-origin' }
    : { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok) throw new ApiError(data.error || `${response.status} ${response.statusText}`);
  return data;
}

export const number = n => Number(n).toLocaleString('en-US');

/** A value as text for a cell: nested values as compact JSON. */
export function text(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A table of rows; columns are [{key, label, num, render}]. */
export function table(columns, rows, attrs = {}) {
  return el('div', { class: 'scroll' }, el('table', attrs,
    el('thead', {}, el('tr', {}, columns.map(c => el('th', { class: c.num ? 'num' : undefined, scope: 'col' }, c.label ?? c.key)))),
    el('tbody', {}, rows.map(row => el('tr', {}, columns.map(c => {
      const value = c.render ? c.render(row) : row[c.key];
      return el('td', { class: c.num ? 'num' : undefined }, value instanceof Node ? value : c.num && typeof value === 'number' ? number(value) : text(value));
    }))))));
}

const charts = new Set();
const pending = [];
const palette = ['#2457c5', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** A Chart.js chart in a card-sized box; destroyed when the page is drawn again. */
export function chart(type, labels, datasets, options = {}) {
  const canvas = el('canvas', { role: 'img', 'aria-label': options.label || type + ' chart' });
  const box = el('div', { class: 'chart' }, canvas);
  if (!window.Chart) return box;
  const colored = datasets.map((d, i) => ({
    ...d,
    backgroundColor: d.backgroundColor ?? (type === 'doughnut' ? labels.map((_, j) => palette[j % palette.length]) : palette[i % palette.length]),
    borderColor: d.borderColor ?? (type === 'line' ? palette[i % palette.length] : undefined),
  }));
  pending.push(() => charts.add(new window.Chart(canvas, {
    type,
    data: { labels, datasets: colored },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: type === 'doughnut' || datasets.length > 1, position: 'right' } },
      scales: type === 'doughnut' ? {} : { x: { stacked: !!options.stacked }, y: { stacked: !!options.stacked, beginAtZero: true } },
    },
  })));
  return box;
}

/** Draws the charts made since the last call, once their canvases are in the document (Chart.js sizes them from the layout). */
export function drawCharts() {
  for (const draw of pending.splice(0)) draw();
}

export function destroyCharts() {
  for (const c of charts) c.destroy();
  charts.clear();
}

/** Forgets charts that were made for content that is not shown (a page drawn again before it finished). */
export function dropPendingCharts() {
  pending.length = 0;
}

/** Sums values by key: [[key, value]] sorted by value, largest first. */
export function totals(points, key, value = p => p.count) {
  const sums = new Map();
  for (const p of points) sums.set(key(p), (sums.get(key(p)) || 0) + value(p));
  return [...sums.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

export function card(title, ...children) {
  return el('section', { class: 'card', 'aria-label': title }, el('h2', {}, title), ...children);
}

/** A date as YYYY-MM-DD, n days from the given one. */
export function addDays(date, n) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
