// Azure's official JavaScript clients read an Azure endpoint (the simulator in the tests) and print what they saw
// as one JSON document: subscriptions, a management group's descendants and every Resource Graph row of the enabled
// subscriptions (resources and resourcecontainers), paged by $skipToken.
//
//   node eng/azure-judge/judge.mjs <endpoint> <tenant> <client-id> <management-group> [<kql>...]
//   (the client secret is read from AZURE_CLIENT_SECRET; the CA from NODE_EXTRA_CA_CERTS; each KQL query, by default
//   `resources | order by id asc` and `resourcecontainers | order by id asc`, is paged to its end and its rows printed
//   under its table's name, the query's first word)
//
// The clients are installed by `npm ci` in eng/npm.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "npm", "package.json"));
const { ClientSecretCredential } = require("@azure/identity");
const { SubscriptionClient } = require("@azure/arm-resources-subscriptions");
const { ManagementGroupsAPI } = require("@azure/arm-managementgroups");
const { ResourceGraphClient } = require("@azure/arm-resourcegraph");

const [endpoint, tenant, clientId, group, ...given] = process.argv.slice(2);
const queries = given.length > 0 ? given : ["resources | order by id asc", "resourcecontainers | order by id asc"];
const secret = process.env.AZURE_CLIENT_SECRET;
if (!endpoint || !tenant || !clientId || !group || !secret) {
  console.error("usage: AZURE_CLIENT_SECRET=... node judge.mjs <endpoint> <tenant> <client-id> <management-group>");
  process.exit(2);
}
const scope = `${endpoint}/.default`;
const credential = new ClientSecretCredential(tenant, clientId, secret, {
  authorityHost: endpoint,
  disableInstanceDiscovery: true,
});

const subscriptions = [];
for await (const s of new SubscriptionClient(credential, { endpoint, credentials: { scopes: [scope] } }).subscriptions.list()) {
  subscriptions.push({
    subscriptionId: s.subscriptionId, displayName: s.displayName, state: s.state, tenantId: s.tenantId,
    authorizationSource: s.authorizationSource, subscriptionPolicies: s.subscriptionPolicies, tags: s.tags,
  });
}

const descendants = [];
const groups = new ManagementGroupsAPI(credential, { endpoint, credentialScopes: [scope] });
for await (const d of groups.managementGroups.listDescendants(group)) {
  descendants.push({ id: d.id, name: d.name, type: d.type, parentId: d.parent?.id ?? null });
}

const graph = new ResourceGraphClient(credential, { endpoint, credentials: { scopes: [scope] } });
const enabled = subscriptions.filter((s) => s.state === "Enabled").map((s) => s.subscriptionId);
const tables = {};
for (const query of queries) {
  const table = query.split(/[\s|]/)[0];
  const rows = [];
  let skipToken;
  let pages = 0;
  do {
    const page = await graph.resources({
      subscriptions: enabled,
      query,
      options: { top: 1000, skipToken, resultFormat: "objectArray" },
    });
    pages++;
    rows.push(...page.data);
    skipToken = page.skipToken;
  } while (skipToken);
  tables[table] = { pages, rows };
}

process.stdout.write(JSON.stringify({ subscriptions, descendants, tables }));
