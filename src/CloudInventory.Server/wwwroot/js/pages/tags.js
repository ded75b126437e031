// Tags: coverage of the required keys per table and account, untagged resources, the common values per key.
import { api, card, chart, el, number, table } from '../dom.js';

export async function tags(ctx) {
  const required = ctx.get('required');
  const data = await api('tags', { ...ctx.scope(), required, report_date: ctx.get('date') });
  const keys = data.required_keys;
  const total = data.coverage.reduce((s, c) => s + c.total, 0);
  const untagged = data.coverage.reduce((s, c) => s + c.untagged, 0);
  const share = (n, of) => (of ? (100 * n / of).toFixed(1) + ' %' : '–');
  const perKey = keys.map(k => [k, data.coverage.reduce((s, c) => s + (c.keys[k] || 0), 0)]);

  const form = el('form', { class: 'controls', 'aria-label': 'Required tags', onsubmit: e => { e.preventDefault(); ctx.set({ required: e.target.required.value.trim() }); } },
    el('label', {}, 'Required tag keys (comma-separated)', el('input', { name: 'required', value: keys.join(','), size: 40 })),
    el('button', { type: 'submit' }, 'Check'));
  return [
    el('h1', {}, 'Tags'),
    form,
    el('div', { class: 'grid' },
      card('Tagged resources', el('div', { class: 'big', 'data-testid': 'tagged-share' }, share(total - untagged, total)),
        el('p', { class: 'muted' }, `${number(total - untagged)} of ${number(total)} resources in tables with tags carry at least one tag; `,
          el('span', { 'data-testid': 'untagged' }, number(untagged)), ' carry none')),
      keys.length ? card('Required keys',
        chart('bar', perKey.map(k => k[0]), [{ label: '% carrying', data: perKey.map(k => total ? 100 * k[1] / total : 0) }], { label: 'Required keys coverage' }),
        table([{ key: 0, label: 'key' }, { key: 1, label: 'resources', num: true }, { key: 2, label: 'share', render: r => share(r[1], total) }], perKey, { 'data-testid': 'required-keys' }))
        : card('Required keys', el('p', {}, 'No required keys: give them above, or start the server with --required-tags.')),
      el('section', { class: 'card wide', 'aria-label': 'Coverage per table and account' }, el('h2', {}, 'Coverage per table and account'),
        table([
          { key: 'table' }, { key: 'account_id', label: 'account' }, { key: 'total', label: 'resources', num: true },
          { key: 'untagged', num: true },
          ...keys.map(k => ({ key: k, label: k, num: true, render: c => share(c.keys[k] || 0, c.total) })),
        ], data.coverage, { 'data-testid': 'coverage' })),
      el('section', { class: 'card wide', 'aria-label': 'Values per key' }, el('h2', {}, 'Values per key (20 most common each)'),
        table([{ key: 'key' }, { key: 'value' }, { key: 'count', label: 'resources', num: true }], data.values, { 'data-testid': 'tag-values' }))),
  ];
}
