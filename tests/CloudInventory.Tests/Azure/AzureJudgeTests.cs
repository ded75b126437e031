using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Azure;

namespace CloudInventory.Tests.Azure;

/// <summary>
/// Azure's official JavaScript clients (@azure/identity's ClientSecretCredential against the simulator's
/// authority, @azure/arm-resources-subscriptions, @azure/arm-managementgroups, @azure/arm-resourcegraph) read the
/// simulated tenant: they parse every answer, and see exactly what the engine sees.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AzureJudgeTests
{
    [Fact]
    public async Task Azures_javascript_clients_parse_the_simulator_and_see_what_the_engine_sees()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o =>
        {
            o.Subscriptions = 3;
            o.Scale = 15;
        });
        var world = session.Simulator.World;
        var judged = await RunJudgeAsync(session, world.TenantId);

        var client = session.Client();
        var subscriptions = await client.ListSubscriptionsAsync().ToListAsync();
        var seen = judged["subscriptions"]!.AsArray();
        Assert.Equal(subscriptions.Select(s => (s.SubscriptionId, s.DisplayName, s.State)),
            seen.Select(s => ((string)s!["subscriptionId"]!, (string)s["displayName"]!, (string)s["state"]!)));

        var descendants = await client.ListManagementGroupDescendantsAsync(world.TenantId).ToListAsync();
        Assert.Equal(descendants.Select(d => (d.Id, d.Name, d.Type, d.ParentId)),
            judged["descendants"]!.AsArray().Select(d => ((string)d!["id"]!, (string)d["name"]!, (string)d["type"]!, (string?)d["parentId"])));

        var enabled = subscriptions.Where(s => s.IsEnabled).Select(s => s.SubscriptionId).ToList();
        Assert.Equal(["authorizationresources", "policyresources", "resourcecontainers", "resources"], Queries.Select(q => q.Table).Order(StringComparer.Ordinal));
        foreach (var query in Queries)
        {
            var rows = await client.QueryAsync(query, enabled).ToListAsync();
            var table = judged["tables"]![query.Table]!;
            var theirs = table["rows"]!.AsArray();
            Assert.NotEmpty(rows);
            Assert.Equal(rows.Count, theirs.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(rows[i].GetRawText()), theirs[i]), $"{query.Table} row {i} differs: {rows[i].GetProperty("id")}");
            }
            if (query == ResourceGraphQuery.Resources) Assert.True((int)table["pages"]! > 1, "the JS client followed $skipToken");
        }
    }

    /// <summary>The Resource Graph queries of the curated Azure tables' scans, each once: resources, resourcecontainers, role and policy assignments.</summary>
    internal static IReadOnlyList<ResourceGraphQuery> Queries { get; } = CloudInventory.Catalog.TableCatalog.Default.Curated
        .Where(t => t.Azure is { } a && ResourceGraphQuery.Tables.Contains(a.ResourceGraphTable) && t.Parent is null)
        .Select(t => CloudInventory.Collection.Azure.AzureCloudSession.QueryOf(t.Azure!)).GroupBy(q => q.Text).Select(g => g.First()).ToList();

    internal static async Task<JsonNode> RunJudgeAsync(AzureSimulatorSession session, string group)
    {
        var root = RepositoryRoot.Path;
        var installed = Path.Combine(root, "eng", "npm", "node_modules", "@azure", "arm-resourcegraph", "package.json");
        if (!File.Exists(installed))
        {
            throw new InvalidOperationException($"Azure's JS clients are not installed ({installed} is missing): run `bash eng/test.sh`, which runs `npm ci` in eng/npm.");
        }
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var world = session.Simulator.World;
        foreach (var arg in new[] { Path.Combine(root, "eng", "azure-judge", "judge.mjs"), session.Simulator.Endpoint.GetLeftPart(UriPartial.Authority), world.TenantId, world.ClientId, group })
        {
            start.ArgumentList.Add(arg);
        }
        // The queries the collector sends for the curated tables' scans (one home: the collector's own QueryOf).
        foreach (var query in Queries) start.ArgumentList.Add(query.Text);
        // Node trusts the simulator's CA through its standard setting; certificate validation stays on.
        start.Environment["NODE_EXTRA_CA_CERTS"] = session.Simulator.CaCertificatePath;
        start.Environment["AZURE_CLIENT_SECRET"] = world.ClientSecret;
        start.Environment.Remove("AZURE_AUTHORITY_HOST");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"the judge failed ({process.ExitCode}): {await stderr}");
        return JsonNode.Parse(await stdout) ?? throw new InvalidOperationException("the judge printed nothing");
    }
}
