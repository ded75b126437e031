// Validates Kubernetes manifests with npm kubernetes-models (the Kubernetes OpenAPI schemas: types, required
// fields, enums, formats), for the test suite (tests/CloudInventory.Tests/Deploy).
//   node check-kubernetes.mjs FILE...   prints [{"file","kind","name","problems":[…],"value"}] as JSON
import fs from 'node:fs';
import YAML from 'yaml';

const results = [];
for (const file of process.argv.slice(2)) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length) { results.push({ file, kind: null, name: null, problems: doc.errors.map(e => e.message) }); continue; }
    const value = doc.toJS();
    if (value == null) continue;
    const [group, version] = value.apiVersion.includes('/') ? value.apiVersion.split('/') : [null, value.apiVersion];
    const modulePath = `kubernetes-models/${group ? group + '/' : ''}${version}/${value.kind}`;
    const problems = [];
    try {
      const Model = (await import(modulePath))[value.kind];
      new Model(value).validate();
    } catch (e) {
      problems.push(e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ? `no such kind ${value.apiVersion} ${value.kind}` : String(e.message || e));
    }
    results.push({ file, kind: value.kind, name: value.metadata?.name ?? null, problems, value });
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
