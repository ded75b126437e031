// Age and posture: age buckets of every table with a creation time; encryption and public access of S3, EBS and RDS.
import { api, card, chart, el, table } from '../dom.js';

const buckets = ['< 24 h', '1-30 d', '30-90 d', '90-365 d', '> 1 y', 'unknown'];

export async function posture(ctx) {
  const data = await api('posture', { ...ctx.scope(), report_date: ctx.get('date') });
  const ageTables = [...new Set(data.age.map(a => a.table))];
  const count = (t, b) => data.age.find(a => a.table === t && a.bucket === b)?.count || 0;
  const checks = [...new Set(data.checks.map(c => c.table + '|' + c.check))];
  return [
    el('h1', {}, 'Age and posture'),
    el('div', { class: 'grid' },
      el('section', { class: 'card wide', 'aria-label': 'Age' }, el('h2', {}, 'Age of resources (by creation time)'),
        chart('bar', ageTables, buckets.map(b => ({ label: b, data: ageTables.map(t => count(t, b)) })), { stacked: true, label: 'Age buckets per table' }),
        table([{ key: 'table' }, { key: 'column', label: 'created' }, ...buckets.map(b => ({ key: b, num: true }))],
          ageTables.map(t => ({ table: t, column: data.age.find(a => a.table === t).column, ...Object.fromEntries(buckets.map(b => [b, count(t, b)])) })),
          { 'data-testid': 'age' })),
      checks.map(id => {
        const [t, check] = id.split('|');
        const rows = data.checks.filter(c => c.table === t && c.check === check);
        return card(`${t}: ${check}`,
          chart('doughnut', rows.map(r => r.value), [{ label: check, data: rows.map(r => r.count) }], { label: `${t} ${check}` }),
          table([{ key: 'value', label: check }, { key: 'count', label: 'resources', num: true }], rows, { 'data-testid': `check-${t}-${check.replace(' ', '-')}` }));
      })),
  ];
}
