// The dashboard shell: global filters kept in the URL, navigation, and the page the path names.
import { api, destroyCharts, drawCharts, dropPendingCharts, el } from './dom.js';
import { overview } from './pages/overview.js';
import { changes } from './pages/changes.js';
import { explorer } from './pages/explorer.js';
import { tags } from './pages/tags.js';
import { posture } from './pages/posture.js';
import { sql } from './pages/sql.js';

const pages = { '/': overview, '/changes': changes, '/explorer': explorer, '/tags': tags, '/posture': posture, '/sql': sql };
const globalFilters = ['cloud', 'account_id', 'region', 'table', 'tag', 'date'];
const form = document.getElementById('filters');
const main = document.getElementById('page');
const errorBox = document.getElementById('error');

/** The page's context: the URL's parameters, the store's facts, and a way to change parameters. */
const context = {
  params: () => new URLSearchParams(location.search),
  get: name => new URLSearchParams(location.search).get(name) || '',
  /** The global filters as API parameters (date is left to each page). */
  scope() {
    const p = this.params();
    return { cloud: p.get('cloud') || '', account_id: p.get('account_id') || '', region: p.get('region') || '', table: p.get('table') || '', tag: p.get('tag') || '' };
  },
  /** Sets URL parameters (empty values removed) and draws the page again. */
  set(values, push = true) {
    const p = this.params();
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined || v === null || v === '') p.delete(k); else p.set(k, v);
    }
    const url = location.pathname + (p.toString() ? '?' + p : '');
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
    return render();
  },
  store: null,
};

async function loadStore() {
  const [tables, runs, accounts, regions] = await Promise.all([
    api('tables'), api('runs', { limit: 1000 }), api('trend', { by: 'account' }), api('trend', { by: 'region' }),
  ]);
  const dates = [...new Set(runs.runs.filter(r => r.status !== 'failed').map(r => r.report_date))].sort();
  context.store = {
    tables: tables.tables,
    clouds: [...new Set(tables.tables.map(t => t.cloud))].sort(),
    accounts: [...new Set(accounts.points.map(p => p.group))].sort(),
    regions: [...new Set(regions.points.map(p => p.group))].sort(),
    dates,
    latest: dates[dates.length - 1],
    runs: runs.runs,
  };
  fill('cloud', context.store.clouds);
  fill('account_id', context.store.accounts);
  fill('region', context.store.regions);
  fill('table', context.store.tables.map(t => t.name));
  form.elements.date.min = dates[0] || '';
  form.elements.date.max = context.store.latest || '';
}

function fill(name, values) {
  const select = form.elements[name];
  select.replaceChildren(el('option', { value: '' }, 'all'), ...values.map(v => el('option', { value: v }, v)));
}

function syncForm() {
  const p = context.params();
  for (const name of globalFilters) {
    const field = form.elements[name];
    const value = p.get(name) || '';
    if (field.tagName === 'SELECT' && value && ![...field.options].some(o => o.value === value)) field.append(el('option', { value }, value));
    field.value = value;
  }
}

let generation = 0;

async function render() {
  const mine = ++generation;
  const page = pages[location.pathname] || overview;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === location.pathname) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    a.search = '';
    const p = context.params();
    const keep = new URLSearchParams();
    for (const name of globalFilters) if (p.get(name)) keep.set(name, p.get(name));
    a.search = keep.toString();
  }
  syncForm();
  errorBox.hidden = true;
  main.setAttribute('aria-busy', 'true');
  try {
    destroyCharts();
    dropPendingCharts();
    const content = await page(context);
    if (mine !== generation) return;
    main.replaceChildren(...[content].flat());
    drawCharts();
  } catch (e) {
    if (mine !== generation) return;
    showError(e);
    main.replaceChildren();
  } finally {
    if (mine === generation) {
      main.removeAttribute('aria-busy');
      document.body.dataset.ready = String(generation);
    }
  }
}

export function showError(e) {
  errorBox.textContent = 'error: ' + (e && e.message ? e.message : String(e));
  errorBox.hidden = false;
}

form.addEventListener('submit', event => {
  event.preventDefault();
  const values = {};
  for (const name of globalFilters) values[name] = form.elements[name].value.trim();
  context.set(values);
});
form.addEventListener('change', event => {
  if (event.target.tagName === 'SELECT' || event.target.type === 'date') form.requestSubmit();
});
document.getElementById('clear-filters').addEventListener('click', () => {
  const values = {};
  for (const name of globalFilters) values[name] = '';
  context.set(values);
});
window.addEventListener('popstate', () => render());

try {
  await loadStore();
  await render();
} catch (e) {
  showError(e);
  document.body.dataset.ready = 'error';
}
