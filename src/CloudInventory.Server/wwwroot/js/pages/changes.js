// Changes: added, removed and changed resources between two dates per table, a drill-down to the changed columns, churn per day.
import { addDays, api, card, chart, el, text, table } from '../dom.js';

export async function changes(ctx) {
  const scope = ctx.scope();
  const to = ctx.get('to') || ctx.get('date') || ctx.store.latest;
  const weekBefore = addDays(to, -7);
  const from = ctx.get('from') || (weekBefore < ctx.store.dates[0] ? ctx.store.dates[0] : weekBefore);
  const [summary, churn] = await Promise.all([
    api('diff', { ...scope, from, to, summary: true }),
    api('churn', { ...scope, since: addDays(from, 1), until: to }),
  ]);
  const picked = ctx.get('diff_table');
  const detail = picked ? await api('diff', { ...scope, table: picked, from, to, max_results: 500 }) : null;

  const dates = el('form', { class: 'controls', 'aria-label': 'Compare', onsubmit: e => { e.preventDefault(); ctx.set({ from: e.target.from.value, to: e.target.to.value }); } },
    el('label', {}, 'From', el('input', { type: 'date', name: 'from', value: from, min: ctx.store.dates[0], max: ctx.store.latest })),
    el('label', {}, 'To', el('input', { type: 'date', name: 'to', value: to, min: ctx.store.dates[0], max: ctx.store.latest })),
    el('button', { type: 'submit' }, 'Compare'));
  const sum = key => summary.tables.reduce((s, t) => s + t[key], 0);
  const resourceLink = (tableName, key) => el('a', { href: explorerHref(tableName, key) }, Object.entries(key).filter(([k]) => k !== 'account_id' && k !== 'region').map(([, v]) => v).join(' / ') || 'resource');

  const parts = [
    el('h1', {}, 'Changes'),
    dates,
    el('p', { class: 'muted', 'data-testid': 'diff-runs' }, `from run ${summary.from.run_id} (${summary.from.report_date}) to run ${summary.to.run_id} (${summary.to.report_date})`),
    notCompared(summary),
    el('div', { class: 'grid' },
      card('Added', el('div', { class: 'big', 'data-testid': 'added-total' }, sum('added'))),
      card('Removed', el('div', { class: 'big', 'data-testid': 'removed-total' }, sum('removed'))),
      card('Changed', el('div', { class: 'big', 'data-testid': 'changed-total' }, sum('changed'))),
      el('section', { class: 'card wide', 'aria-label': 'Per table' }, el('h2', {}, 'Per table'),
        table([
          { key: 'table', render: t => el('button', { type: 'button', class: 'link', onclick: () => ctx.set({ diff_table: t.table }) }, t.table) },
          { key: 'added', num: true }, { key: 'removed', num: true }, { key: 'changed', num: true },
        ], summary.tables, { 'data-testid': 'diff-tables' })),
      el('section', { class: 'card wide', 'aria-label': 'Churn per day' }, el('h2', {}, 'Churn per day'),
        chart('bar', churn.days.map(d => d.report_date), [
          { label: 'added', data: churn.days.map(d => d.added) },
          { label: 'removed', data: churn.days.map(d => d.removed) },
          { label: 'changed', data: churn.days.map(d => d.changed) },
        ], { stacked: true, label: 'Churn per day' }),
        el('details', {}, el('summary', {}, 'Values'), table([{ key: 'report_date', label: 'day' }, { key: 'added', num: true }, { key: 'removed', num: true }, { key: 'changed', num: true }], churn.days, { 'data-testid': 'churn' })))),
  ];
  if (detail) {
    const t = detail.tables[0];
    parts.push(el('section', { class: 'card', 'aria-label': 'Drill-down', 'data-testid': 'diff-detail' },
      el('h2', {}, `${picked}: ${t ? `${t.added} added, ${t.removed} removed, ${t.changed} changed` : 'no changes'}`),
      t ? [
        el('h3', {}, 'Added'), el('ul', {}, t.added_keys.map(k => el('li', {}, resourceLink(picked, k)))),
        el('h3', {}, 'Removed'), el('ul', {}, t.removed_keys.map(k => el('li', {}, resourceLink(picked, k)))),
        el('h3', {}, 'Changed'),
        table([
          { key: 'key', label: 'resource', render: r => resourceLink(picked, r.key) },
          { key: 'changes', label: 'column: old → new', render: r => el('div', {}, r.changes.map(c => el('div', {}, el('span', { class: 'pill' }, c.column), `${text(c.old)} → ${text(c.new)}`))) },
        ], t.changed_rows, { 'data-testid': 'changed-rows' }),
      ] : null));
  }
  return parts;
}

/**
 * The units (table, account, region) one of the two runs did not observe, and the tables one of them did not collect: their
 * resources are left out of the counts (a failed listing is not removals), and the page says so.
 */
function notCompared(summary) {
  const units = summary.not_compared || [];
  const skipped = Object.entries(summary.skipped || {});
  if (units.length === 0 && skipped.length === 0) return null;
  return el('section', { class: 'note', role: 'note', 'aria-label': 'Not compared', 'data-testid': 'not-compared' },
    el('h2', {}, `Not compared: ${units.length} ${units.length === 1 ? 'unit' : 'units'}${skipped.length ? `, ${skipped.length} ${skipped.length === 1 ? 'table' : 'tables'}` : ''}`),
    el('p', {}, 'One of the two runs did not observe these; their resources are left out of the counts below (not counted as removed or added).'),
    el('ul', {},
      units.map(u => el('li', {}, el('span', { class: 'pill' }, u.table), `${u.account_id} / ${u.region}: ${u.reason}`)),
      skipped.map(([t, reason]) => el('li', {}, el('span', { class: 'pill' }, t), reason))));
}

/** The Explorer's address of one resource (its record and timeline). */
export function explorerHref(tableName, key) {
  const p = new URLSearchParams({ table: tableName, resource: JSON.stringify(key) });
  return '/explorer?' + p;
}
