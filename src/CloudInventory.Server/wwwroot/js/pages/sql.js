// SQL: a console over the same views as cloudinv query, with the result as a table and a chart.
import { api, card, chart, el, table } from '../dom.js';

const example = 'select account_id, count(*) as instances\nfrom current_aws_ec2_instances\ngroup by all order by 2 desc';

export async function sql(ctx) {
  const text = ctx.get('q') || example;
  const editor = el('textarea', { name: 'sql', 'aria-label': 'SQL', spellcheck: 'false' }, text);
  editor.addEventListener('keydown', e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); editor.form.requestSubmit(); } });
  const form = el('form', { 'aria-label': 'Query', onsubmit: e => { e.preventDefault(); ctx.set({ q: editor.value }); } },
    editor, el('div', { class: 'controls' }, el('button', { type: 'submit' }, 'Run (Ctrl+Enter)'),
      el('span', { class: 'muted' }, 'One read-only SELECT over the store\'s views: aws_*, current_*, daily_*, distinct_*, cloudinv_runs, cloudinv_errors.')));
  const parts = [el('h1', {}, 'SQL'), form];
  if (!ctx.get('q')) return parts;
  const result = await api('query', {}, { sql: text });
  const names = result.columns.map(c => c.name);
  const rows = result.rows.map(r => Object.fromEntries(names.map((n, i) => [n, r[i]])));
  const numeric = names.length >= 2 && result.rows.length > 0 && result.rows.every(r => typeof r[names.length - 1] === 'number');
  parts.push(el('p', { class: 'muted', 'data-testid': 'row-count' }, `${result.row_count} rows${result.truncated ? ' (cut at the row cap)' : ''}`));
  if (numeric) {
    parts.push(card('Chart', chart(names[0].includes('date') ? 'line' : 'bar', result.rows.slice(0, 200).map(r => String(r[0])),
      [{ label: names[names.length - 1], data: result.rows.slice(0, 200).map(r => r[names.length - 1]) }], { label: 'Result chart' })));
  }
  parts.push(card('Result', table(names.map(n => ({ key: n })), rows, { 'data-testid': 'result' })));
  return parts;
}
