// Overview: the latest snapshot's size by cloud, account, region and type; resources per day; the last runs' health.
import { addDays, api, card, chart, el, number, table, totals } from '../dom.js';

export async function overview(ctx) {
  const scope = ctx.scope();
  const days = Number(ctx.get('days') || 30);
  const until = ctx.get('date') || ctx.store.latest;
  const since = addDays(until, -(days - 1));
  const query = by => api('trend', { ...scope, by, since, until });
  const [byCloud, byTable, byAccount, byRegion, runs] = await Promise.all([
    query('cloud'), query('table'), query('account'), query('region'), api('runs', { limit: 10 }),
  ]);
  const last = byTable.points.reduce((m, p) => (p.report_date > m ? p.report_date : m), '');
  const at = points => points.filter(p => p.report_date === last);
  const total = at(byTable.points).reduce((s, p) => s + p.count, 0);
  const perDay = totals(byCloud.points, p => p.report_date).sort((a, b) => a[0].localeCompare(b[0]));

  const breakdown = (title, id, points, top) => {
    let rows = totals(at(points), p => p.group);
    if (top) rows = rows.slice(0, top);
    return card(title,
      chart(top ? 'bar' : 'doughnut', rows.map(r => r[0]), [{ label: 'resources', data: rows.map(r => r[1]) }], { label: title }),
      table([{ key: 0, label: title.replace(/^By /, '') }, { key: 1, label: 'resources', num: true }], rows, { 'data-testid': id }));
  };
  const period = el('select', { 'aria-label': 'Period', onchange: e => ctx.set({ days: e.target.value }) },
    [7, 14, 30, 90, 365].map(d => el('option', { value: d, selected: d === days }, `${d} days`)));

  return [
    el('h1', {}, 'Overview'),
    el('div', { class: 'grid' },
      card('Resources in the latest snapshot',
        el('div', { class: 'big', 'data-testid': 'total-resources' }, number(total)),
        el('p', { class: 'muted' }, last ? `snapshot of ${last}` : 'no snapshot in the period')),
      breakdown('By cloud', 'by-cloud', byCloud.points),
      breakdown('By account', 'by-account', byAccount.points),
      breakdown('By region', 'by-region', byRegion.points),
      breakdown('Top resource types', 'by-table', byTable.points, 10),
      el('section', { class: 'card wide', 'aria-label': 'Resources per day' },
        el('div', { class: 'controls' }, el('h2', {}, 'Resources per day'), el('label', {}, 'Period', period)),
        chart('line', perDay.map(r => r[0]), [{ label: 'resources', data: perDay.map(r => r[1]), tension: 0.2 }], { label: 'Resources per day' }),
        el('details', {}, el('summary', {}, 'Values'),
          table([{ key: 0, label: 'day' }, { key: 1, label: 'resources', num: true }], perDay, { 'data-testid': 'per-day' }))),
      el('section', { class: 'card wide', 'aria-label': 'Last runs' }, el('h2', {}, 'Last runs'),
        table([
          { key: 'report_date', label: 'day' },
          { key: 'run_id', label: 'run' },
          { key: 'status', label: 'status', render: r => el('span', { class: 'status-' + r.status }, r.status) },
          { key: 'duration_ms', label: 'duration', num: true, render: r => (r.duration_ms / 1000).toFixed(1) + ' s' },
          { key: 'rows', label: 'rows', num: true },
          { key: 'api_calls', label: 'API calls', num: true },
          { key: 'errors', label: 'errors', num: true },
        ], runs.runs, { 'data-testid': 'runs' }))),
  ];
}
