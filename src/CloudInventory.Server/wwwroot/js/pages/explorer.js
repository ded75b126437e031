// Explorer: any table at any date, with a column picker, filters, sorting, server paging and CSV export;
// one resource's full record and its history timeline.
import { api, card, el, text, table } from '../dom.js';

const operators = [['contains', 'contains'], ['eq', '='], ['ne', '≠'], ['gt', '>'], ['lt', '<'], ['null', 'is empty'], ['notnull', 'is not empty']];

export async function explorer(ctx) {
  const scope = ctx.scope();
  const tables = ctx.store.tables.map(t => t.name);
  const name = tables.includes(scope.table) ? scope.table : (tables.includes('aws_ec2_instances') ? 'aws_ec2_instances' : tables[0]);
  if (!name) return el('p', {}, 'The store has no tables with data.');
  const p = ctx.params();
  const date = ctx.get('date');
  const time = ctx.get('time') || (date ? 'at' : 'latest');
  const filters = p.getAll('f');
  const chosen = ctx.get('cols');
  const sort = ctx.get('sort');
  const order = ctx.get('order') || 'asc';
  const resource = ctx.get('resource');
  const params = {
    account_id: scope.account_id, region: scope.region, tag: scope.tag,
    time_selection: time, report_date: time === 'latest' ? '' : date, filter: filters, columns: chosen, sort, order,
    max_results: 50, cursor: ctx.get('cursor'),
  };
  const [detail, page, record] = await Promise.all([
    api('tables/' + encodeURIComponent(name)),
    api('inventory/' + encodeURIComponent(name), params),
    resource ? api('resources/' + encodeURIComponent(name), resourceParams(JSON.parse(resource))) : null,
  ]);
  const keyColumns = detail.key_columns;
  const visible = page.columns.map(c => c.name);

  const picker = el('details', {}, el('summary', {}, `Columns (${visible.length} of ${detail.columns.length})`),
    el('form', { 'aria-label': 'Columns', onsubmit: e => {
      e.preventDefault();
      const picked = [...e.target.querySelectorAll('input:checked')].map(i => i.value);
      ctx.set({ cols: picked.length === detail.columns.length ? '' : picked.join(','), cursor: '', prev: '' });
    } },
    el('div', { class: 'columns' }, detail.columns.map(c => el('label', {}, el('input', { type: 'checkbox', value: c.name, checked: visible.includes(c.name) }), c.name))),
    el('button', { type: 'submit' }, 'Show columns')));

  const filterForm = el('form', { class: 'controls', 'aria-label': 'Add a filter', onsubmit: e => {
    e.preventDefault();
    const f = e.target;
    const all = [...filters, `${f.column.value}:${f.op.value}:${f.value.value}`];
    const q = ctx.params();
    q.delete('f');
    all.forEach(x => q.append('f', x));
    q.delete('cursor'); q.delete('prev');
    history.pushState(null, '', location.pathname + '?' + q);
    ctx.set({});
  } },
    el('label', {}, 'Column', el('select', { name: 'column' }, detail.columns.map(c => el('option', { value: c.name }, c.name)))),
    el('label', {}, 'Operator', el('select', { name: 'op' }, operators.map(([v, l]) => el('option', { value: v }, l)))),
    el('label', {}, 'Value', el('input', { name: 'value', autocomplete: 'off' })),
    el('button', { type: 'submit' }, 'Add filter'));
  const active = el('div', { 'aria-label': 'Active filters' }, filters.map(f => el('span', { class: 'pill' }, f + ' ',
    el('button', { type: 'button', class: 'link', 'aria-label': 'Remove filter ' + f, onclick: () => {
      const q = ctx.params();
      q.delete('f');
      filters.filter(x => x !== f).forEach(x => q.append('f', x));
      history.pushState(null, '', location.pathname + '?' + q);
      ctx.set({ cursor: '', prev: '' });
    } }, '×'))));

  const timeForm = el('label', {}, 'Snapshot', el('select', { name: 'time', onchange: e => ctx.set({ time: e.target.value, cursor: '', prev: '' }) },
    ['latest', 'at', 'before', 'after'].map(t => el('option', { value: t, selected: t === time }, t === 'latest' ? 'latest' : `${t} the date filter`))));
  const tablePick = el('label', {}, 'Table', el('select', { onchange: e => ctx.set({ table: e.target.value, cols: '', f: '', sort: '', cursor: '', prev: '', resource: '' }) },
    tables.map(t => el('option', { value: t, selected: t === name }, t))));
  const csv = new URL('/api/v1/inventory/' + encodeURIComponent(name), location.origin);
  for (const [k, v] of Object.entries({ ...params, format: 'csv', cursor: '', max_results: '' })) {
    if (Array.isArray(v)) v.forEach(x => csv.searchParams.append(k, x)); else if (v) csv.searchParams.set(k, v);
  }

  const prev = ctx.get('prev') ? ctx.get('prev').split(',') : [];
  const pager = el('div', { class: 'controls' },
    el('span', { 'data-testid': 'inventory-total' }, `${page.total} rows`),
    el('span', { class: 'muted' }, page.run_id ? `snapshot ${page.report_date} (run ${page.run_id})` : ''),
    el('button', { type: 'button', class: 'secondary', disabled: prev.length === 0, onclick: () => {
      const back = prev.slice(0, -1);
      ctx.set({ cursor: prev[prev.length - 1] === '-' ? '' : prev[prev.length - 1], prev: back.join(',') });
    } }, 'Previous'),
    el('button', { type: 'button', class: 'secondary', disabled: !page.next_cursor, onclick: () => ctx.set({ cursor: page.next_cursor, prev: [...prev, ctx.get('cursor') || '-'].join(',') }) }, 'Next'),
    el('a', { href: csv.pathname + csv.search, download: `${name}.csv` }, 'Export CSV'));

  const sortButton = column => el('button', { type: 'button', class: 'link', 'aria-label': `Sort by ${column}`, onclick: () =>
    ctx.set({ sort: column, order: sort === column && order === 'asc' ? 'desc' : 'asc', cursor: '', prev: '' }) },
    column + (sort === column ? (order === 'asc' ? ' ▲' : ' ▼') : ''));
  const rows = page.rows.map(r => Object.fromEntries(visible.map((c, i) => [c, r[i]])));
  const grid = el('div', { class: 'scroll' }, el('table', { 'data-testid': 'inventory', class: 'cells' },
    el('thead', {}, el('tr', {}, el('th', {}, ''), visible.map(c => el('th', { scope: 'col' }, sortButton(c))))),
    el('tbody', {}, rows.map(row => el('tr', {},
      el('td', {}, keyColumns.every(k => k in row)
        ? el('a', { href: '?' + withResource(ctx, Object.fromEntries(keyColumns.map(k => [k, text(row[k])]))) }, 'view')
        : ''),
      visible.map(c => el('td', { title: text(row[c]).length > 40 ? text(row[c]).slice(0, 2000) : undefined }, text(row[c]))))))));

  const parts = [
    el('h1', {}, `Explorer: ${name}`),
    el('div', { class: 'controls' }, tablePick, timeForm),
    picker, filterForm, active, pager,
    el('section', { class: 'card', 'aria-label': 'Rows' }, keyColumns.some(k => !visible.includes(k)) ? el('p', { class: 'muted' }, 'Show the key columns (' + keyColumns.join(', ') + ') to open a resource.') : null, grid),
  ];
  if (record) parts.push(resourceView(record));
  return parts;
}

function resourceParams(key) {
  const { account_id, region, ...rest } = key;
  return { account_id, region, key: Object.entries(rest).map(([k, v]) => `${k}=${v}`) };
}

function withResource(ctx, key) {
  const q = ctx.params();
  q.set('resource', JSON.stringify(key));
  return q.toString();
}

function resourceView(record) {
  return el('div', { class: 'grid' },
    card(`Record (${record.record_report_date})`, el('pre', { 'data-testid': 'record' }, JSON.stringify(record.record, null, 2))),
    card('History',
      el('ol', { class: 'timeline', 'data-testid': 'timeline' }, record.history.map(h => el('li', { class: h.event, dataset: { event: h.event, date: h.report_date } },
        el('strong', {}, `${h.report_date} ${h.event}`),
        h.changes.length ? el('div', {}, h.changes.map(c => el('div', {}, el('span', { class: 'pill', 'data-column': c.column }, c.column), `${text(c.old)} → ${text(c.new)}`))) : null)))));
}
