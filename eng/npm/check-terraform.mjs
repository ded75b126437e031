// Offline checks of Terraform configurations, for the test suite (tests/CloudInventory.Tests/Deploy).
//   node check-terraform.mjs DIR...   prints {"modules":…, "resources":…, "references":…, "problems":[…]} as JSON
// For each module directory (and every local module it calls):
// - every .tf file parses (@cdktf/hcl2json, HashiCorp's HCL parser compiled to WebAssembly);
// - every reference resolves: var.X to a variable, local.X to a local, module.M.O to an output of the called module,
//   TYPE.NAME[.ATTR] / data.TYPE.NAME[.ATTR] to a declared resource or data source whose schema has ATTR;
// - module calls pass only variables the module declares and every variable without a default;
// - every resource and data source type exists in the AWS provider, and every argument and block used exists in its
//   schema. The schema is read from npm @cdktf/provider-aws (generated from `terraform providers schema` of
//   hashicorp/aws): top-level arguments from the resource class's synthesizeHclAttributes, attributes from its
//   getters, nested block arguments from the names its nested-block serializers emit for that resource.
import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const providerLib = path.join(path.dirname(require.resolve('@cdktf/provider-aws/package.json')), 'lib');
const problems = [];
const stats = { modules: 0, resources: 0, references: 0 };
const modules = new Map();
const schemas = new Map();

function schemaOf(kind, type) {
  const key = `${kind}:${type}`;
  if (schemas.has(key)) return schemas.get(key);
  const dir = kind === 'data' ? 'data-' + type.replace(/_/g, '-') : type.replace(/^aws_/, '').replace(/_/g, '-');
  const file = path.join(providerLib, dir, 'index.js');
  let schema = null;
  if (fs.existsSync(file)) {
    const js = fs.readFileSync(file, 'utf8');
    if (js.includes(`tfResourceType = "${type}"`)) {
      const synth = js.lastIndexOf('synthesizeHclAttributes() {');
      const block = js.slice(synth, js.indexOf('\n        };', synth));
      const top = new Set([...block.matchAll(/^ {12}([a-z0-9_]+): \{$/gm)].map(m => m[1]));
      const nested = new Set([...js.matchAll(/^ +([a-z0-9_]+): \{\n +value: /gm)].map(m => m[1]));
      const attributes = new Set([...js.matchAll(/(?:get[A-Za-z]*Attribute|interpolationForAttribute)\('([a-z0-9_]+)'\)/g)].map(m => m[1]));
      for (const a of top) attributes.add(a);
      schema = { top, nested, attributes };
    }
  }
  schemas.set(key, schema);
  return schema;
}

const META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'providers', 'dynamic', 'connection', 'provisioner']);

function checkBlock(where, value, schema, topLevel) {
  for (const [key, v] of Object.entries(value)) {
    if (META.has(key)) continue;
    const known = topLevel ? schema.top.has(key) : schema.nested.has(key);
    if (!known) problems.push(`${where}: ${key} is not in the provider schema`);
    if (Array.isArray(v) && v.every(x => x && typeof x === 'object' && !Array.isArray(x))) {
      for (const item of v) checkBlock(`${where}.${key}`, item, schema, false);
    }
  }
}

function* strings(value) {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { yield* strings(k); yield* strings(v); }
}

function* expressions(text) {
  // The ${...} parts of a string, with nested braces.
  for (let i = text.indexOf('${'); i >= 0; i = text.indexOf('${', i + 2)) {
    let depth = 0, j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) break;
    }
    yield text.slice(i + 2, j);
  }
}

async function load(dir) {
  dir = path.resolve(dir);
  if (modules.has(dir)) return modules.get(dir);
  const merged = { variable: {}, locals: {}, output: {}, resource: {}, data: {}, module: {}, providers: new Set() };
  modules.set(dir, merged);
  stats.modules++;
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.tf')).sort() : [];
  if (files.length === 0) problems.push(`${dir}: no .tf files`);
  for (const f of files) {
    let doc;
    try { doc = await parse(f, fs.readFileSync(path.join(dir, f), 'utf8')); }
    catch (e) { problems.push(`${path.join(dir, f)}: does not parse: ${e.message || e}`); continue; }
    for (const [name, v] of Object.entries(doc.variable || {})) merged.variable[name] = v[0];
    for (const l of doc.locals || []) Object.assign(merged.locals, l);
    for (const [name, configs] of Object.entries(doc.provider || {})) for (const c of configs) if (c.alias) merged.providers.add(`${name}.${c.alias}`);
    for (const [name, v] of Object.entries(doc.output || {})) merged.output[name] = v[0];
    for (const [name, v] of Object.entries(doc.module || {})) merged.module[name] = v[0];
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(doc[kind] || {})) {
        for (const [name, v] of Object.entries(byName)) (merged[kind][type] ||= {})[name] = v[0];
      }
    }
  }
  for (const [name, call] of Object.entries(merged.module)) {
    if (typeof call.source !== 'string' || !call.source.startsWith('.')) { problems.push(`${dir}: module ${name} has a non-local source`); continue; }
    call.dir = path.resolve(dir, call.source);
    const callee = await load(call.dir);
    for (const key of Object.keys(call)) {
      if (['source', 'dir', ...META].includes(key)) continue;
      if (!(key in callee.variable)) problems.push(`${dir}: module ${name} passes ${key}, which ${call.source} does not declare`);
    }
    for (const [v, decl] of Object.entries(callee.variable)) {
      if (!('default' in decl) && !(v in call)) problems.push(`${dir}: module ${name} does not pass the required variable ${v}`);
    }
  }
  for (const kind of ['resource', 'data']) {
    for (const [type, byName] of Object.entries(merged[kind])) {
      const schema = schemaOf(kind, type);
      for (const [name, body] of Object.entries(byName)) {
        stats.resources++;
        if (!schema) { problems.push(`${dir}: ${kind} type ${type} is not in the AWS provider`); continue; }
        checkBlock(`${dir}: ${kind === 'data' ? 'data.' : ''}${type}.${name}`, body, schema, true);
      }
    }
  }
  return merged;
}

function resolveReferences(dir, m) {
  const refPattern = /(?<![\w.])(data\.)?([a-z][a-z0-9_]*)\.([a-zA-Z_][\w-]*)(?:\[[^\]]*\])?(?:\.([a-zA-Z_]\w*))?/g;
  const scopes = [m.variable, m.locals, m.output, m.module, ...Object.values(m.resource), ...Object.values(m.data)];
  const everything = [m.locals, m.output, m.module, m.resource, m.data];
  for (const text of strings(everything)) {
    for (const expression of expressions(text)) {
      const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      for (const match of withoutStrings.matchAll(refPattern)) {
        const [, data, head, name, attr] = match;
        if (['each', 'count', 'path', 'terraform', 'self', 'p', 'k', 'v', 'x'].includes(head) && !data) continue;
        stats.references++;
        const ref = match[0];
        if (!data && head === 'var') { if (!(name in m.variable)) problems.push(`${dir}: ${ref}: no variable ${name}`); continue; }
        if (!data && head === 'local') { if (!(name in m.locals)) problems.push(`${dir}: ${ref}: no local ${name}`); continue; }
        if (!data && head === 'module') {
          const call = m.module[name];
          if (!call) problems.push(`${dir}: ${ref}: no module ${name}`);
          else if (attr && !(attr in modules.get(call.dir).output)) problems.push(`${dir}: ${ref}: module ${name} has no output ${attr}`);
          continue;
        }
        if (!data && m.providers.has(`${head}.${name}`) && !attr) continue;
        if (!data && !head.startsWith('aws_')) { problems.push(`${dir}: ${ref}: unknown reference`); continue; }
        const kind = data ? 'data' : 'resource';
        if (!(m[kind][head] && name in m[kind][head])) { problems.push(`${dir}: ${ref}: no ${kind} ${head}.${name}`); continue; }
        const schema = schemaOf(kind, head);
        if (attr && schema && !schema.attributes.has(attr)) problems.push(`${dir}: ${ref}: ${head} has no attribute ${attr}`);
      }
    }
  }
  void scopes;
}

for (const dir of process.argv.slice(2)) await load(dir);
for (const [dir, m] of modules) resolveReferences(dir, m);
process.stdout.write(JSON.stringify({ ...stats, problems }) + '\n');
