// Parses SQL statements with dt-sql-parser (npm, installed by eng/test.sh under eng/npm) and prints
// the syntax errors as JSON. The package's ESM build imports directories and extensionless files,
// which plain node refuses; the resolve hook below tries "<specifier>.js" and "<specifier>/index.js".
//   node eng/parse-sql.mjs < input.json      input: [{"name": "...", "dialect": "trino"|"hive", "sql": "..."}]
//   output: [{"name": "...", "errors": ["line:col message", ...]}]  (only entries with errors)
import { register } from 'node:module';
import { readFileSync } from 'node:fs';

const hook = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!specifier.startsWith('.') || !context.parentURL?.includes('/dt-sql-parser/')) throw error;
    for (const candidate of [specifier + '.js', specifier + '/index.js']) {
      try { return await next(candidate, context); } catch { /* try the next form */ }
    }
    throw error;
  }
}`;
register('data:text/javascript,' + encodeURIComponent(hook), import.meta.url);

const { TrinoSQL, HiveSQL } = await import(new URL('./npm/node_modules/dt-sql-parser/dist/index.js', import.meta.url).href);
const parsers = { trino: new TrinoSQL(), hive: new HiveSQL() };
const input = JSON.parse(readFileSync(0, 'utf8'));
const failures = [];
for (const { name, dialect, sql } of input) {
  const parser = parsers[dialect];
  if (!parser) throw new Error(`unknown dialect ${dialect} (trino or hive)`);
  const errors = parser.validate(sql).map(e => `${e.startLine}:${e.startColumn} ${e.message}`);
  if (errors.length > 0) failures.push({ name, errors });
}
process.stdout.write(JSON.stringify(failures));
