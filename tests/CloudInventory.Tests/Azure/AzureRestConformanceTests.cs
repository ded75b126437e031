using System.Collections.Concurrent;
using System.Text.Json;
using CloudInventory.Azure;
using CloudInventory.Azure.Internal;
using CloudInventory.Aws.Protocols;
using CloudInventory.Azure.Models;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Collection.Azure;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Azure;

/// <summary>
/// The Azure engine against Azure's own REST specifications (../shared/conformance/azure-arm, unmodified copies):
/// every request it sends validates against the operation's schema, and the specs' example responses parse.
/// </summary>
public sealed class AzureRestConformanceTests
{
    private const string ResourceGraphSpec = "resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01/resourcegraph.json";
    private const string SubscriptionsSpec = "resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json";
    private const string ManagementGroupsSpec = "managementgroups/resource-manager/Microsoft.Management/stable/2021-04-01/management.json";

    [Fact]
    public async Task Every_request_the_client_sends_validates_against_the_rest_specs()
    {
        var requests = new ConcurrentQueue<(string Method, string Target, byte[] Body)>();
        await using var session = await AzureSimulatorSession.StartAsync(o =>
        {
            o.Subscriptions = 3;
            o.OnRequest = (method, target, body) => requests.Enqueue((method, target, body));
        });
        var client = session.Client(o => o.PageSize = 10);
        var subscriptions = await client.ListSubscriptionsAsync().ToListAsync();
        await client.ListManagementGroupDescendantsAsync(session.Simulator.World.TenantId).ToListAsync();
        var ids = subscriptions.Where(s => s.IsEnabled).Select(s => s.SubscriptionId).ToList();
        await client.QueryAsync(ResourceGraphQuery.Resources, ids).ToListAsync();
        await client.QueryAsync(ResourceGraphQuery.ResourceContainers, ids).ToListAsync();

        var specs = new[] { ResourceGraphSpec, SubscriptionsSpec, ManagementGroupsSpec }.Select(RestSpecification.Load).ToList();
        var arm = requests.Where(r => !r.Target.Contains("/oauth2/", StringComparison.Ordinal)).ToList();
        Assert.Contains(arm, r => r.Target.Contains("$skiptoken", StringComparison.Ordinal));
        Assert.True(arm.Count(r => r.Method == "POST") > 4, "several Resource Graph pages");
        foreach (var (method, target, body) in arm)
        {
            var spec = target.Contains("Microsoft.ResourceGraph", StringComparison.Ordinal) ? specs[0]
                : target.Contains("Microsoft.Management", StringComparison.Ordinal) ? specs[2] : specs[1];
            var problems = spec.Check(method, target, body, followsNextLink: target.Contains("$skiptoken", StringComparison.Ordinal));
            Assert.True(problems.Count == 0, $"{method} {target} {System.Text.Encoding.UTF8.GetString(body)}: {string.Join("; ", problems)}");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("landing-zones")]
    public async Task Every_request_a_collect_run_sends_validates_against_the_rest_specs(string? managementGroup)
    {
        var requests = new ConcurrentQueue<(string Method, string Target, byte[] Body)>();
        await using var session = await AzureSimulatorSession.StartAsync(o =>
        {
            o.Subscriptions = 4;
            o.OnRequest = (method, target, body) => requests.Enqueue((method, target, body));
        });
        var store = Directory.CreateTempSubdirectory("cloudinv-azure-conformance-").FullName;
        try
        {
            var result = await new InventoryCollector().RunAsync(new CollectOptions
            {
                Clouds = [Cloud.Azure], Store = store,
                Azure = new AzureCollectOptions
                {
                    Endpoint = session.Simulator.Endpoint, Credential = session.Credential(), Transport = session.Transport, PageSize = 25, ManagementGroup = managementGroup,
                },
            });
            Assert.Equal(RunStatus.Complete, result.Manifest.Status);
            Assert.Contains(result.Manifest.Tables, t => t.Table == "azure_management_groups" && t.Status == TableRunStatus.Ok);
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }

        var specs = new[] { ResourceGraphSpec, SubscriptionsSpec, ManagementGroupsSpec }.Select(RestSpecification.Load).ToList();
        var arm = requests.Where(r => !r.Target.Contains("/oauth2/", StringComparison.Ordinal) && !r.Target.Contains("/.well-known/", StringComparison.Ordinal)).ToList();
        // Subscriptions, the management group (with its ancestors), its descendants, and Resource Graph pages of both tables.
        Assert.Contains(arm, r => r.Target.StartsWith("/subscriptions?", StringComparison.Ordinal));
        Assert.Contains(arm, r => r.Target.Contains("$expand=ancestors", StringComparison.Ordinal));
        Assert.Contains(arm, r => r.Target.Contains("/descendants?", StringComparison.Ordinal));
        Assert.Contains(arm, r => r.Method == "POST" && r.Body.AsSpan().IndexOf("resourcecontainers"u8) >= 0);
        // The scans of Resource Graph's other tables: role assignments and policy assignments, each narrowed to its type.
        var queries = arm.Where(r => r.Method == "POST").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("query").GetString()).ToHashSet();
        Assert.Contains("authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | order by id asc", queries);
        Assert.Contains("policyresources | where type =~ 'microsoft.authorization/policyassignments' | order by id asc", queries);
        Assert.Contains(arm, r => r.Method == "POST" && r.Body.AsSpan().IndexOf("$skipToken"u8) >= 0);
        foreach (var (method, target, body) in arm)
        {
            var spec = target.Contains("Microsoft.ResourceGraph", StringComparison.Ordinal) ? specs[0]
                : target.Contains("Microsoft.Management", StringComparison.Ordinal) ? specs[2] : specs[1];
            var problems = spec.Check(method, target, body, followsNextLink: target.Contains("$skiptoken", StringComparison.OrdinalIgnoreCase));
            Assert.True(problems.Count == 0, $"{method} {target} {System.Text.Encoding.UTF8.GetString(body)}: {string.Join("; ", problems)}");
        }
    }

    [Fact]
    public void The_resource_graph_examples_rows_become_rows_of_the_catch_all_and_of_their_types_tables()
    {
        var catchAll = TableCatalog.Default.Find("azure_resources")!;
        var read = 0;
        foreach (var example in Examples("resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01/examples"))
        {
            var body = example.GetProperty("responses").GetProperty("200").GetProperty("body");
            if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) continue;
            foreach (var row in ResourceGraphPage.Read(body).Rows.Where(r => r.TryGetProperty("id", out _) && r.TryGetProperty("type", out _)))
            {
                var id = row.GetProperty("id").GetString()!;
                var subscription = id.Split('/')[2];
                var type = row.GetProperty("type").GetString()!;
                var tables = new[] { catchAll, TableCatalog.Default.Find(CloudInventory.Catalog.Internal.AzureTableFactory.NameOf(type)) }.OfType<Table>().ToList();
                foreach (var table in tables)
                {
                    var buffer = new TableRowBuffer(table);
                    var malformed = new List<MalformedValue>();
                    new AzureRowReader(table, AzureModelBundle.Default, buffer).Write(row, subscription, DateTimeOffset.UnixEpoch, malformed.Add);
                    Assert.Empty(malformed);
                    var batch = buffer.Flush();
                    string? Text(string column) => ((Apache.Arrow.StringArray)batch.Column(batch.Schema.GetFieldIndex(column))).GetString(0);
                    Assert.Equal(1, batch.Length);
                    Assert.Equal(id, Text("id"));
                    Assert.Equal(type, Text("type"));
                    Assert.Equal(subscription, Text("account_id"));
                    if (row.TryGetProperty("location", out var location)) Assert.Equal(location.GetString(), Text("location"));
                    read++;
                }
            }
        }
        Assert.True(read >= 10, $"{read} rows read");
    }

    [Fact]
    public void The_management_group_example_reads_with_its_parent()
    {
        var group = AzureResponseReader.ReadManagementGroup(Example("managementgroups/resource-manager/Microsoft.Management/stable/2021-04-01/examples/GetManagementGroupWithExpand.json"));
        Assert.Equal(("20000000-0001-0000-0000-000000000000", "Group 1 Tenant 2", "20000000-0000-0000-0000-000000000000"), (group.Name, group.DisplayName, group.TenantId));
        Assert.Equal("/providers/Microsoft.Management/managementGroups/20000000-0000-0000-0000-000000000000", group.ParentId);
        Assert.Empty(group.Ancestors);
        var ancestors = AzureResponseReader.ReadManagementGroup(JsonDocument.Parse("""
            {"id":"/providers/Microsoft.Management/managementGroups/g","name":"g","properties":{"ancestors":[{"name":"p","displayName":"P"},{"name":"root","displayName":"Root"}]}}
            """).RootElement);
        Assert.Equal(["p", "root"], ancestors.Ancestors);
    }

    [Fact]
    public void The_validator_catches_a_request_the_spec_does_not_allow()
    {
        var spec = RestSpecification.Load(ResourceGraphSpec);
        var body = """{"query":"resources","options":{"$top":5000,"resultFormat":"csv"},"subscription":["x"]}"""u8.ToArray();
        var problems = spec.Check("POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01", body, followsNextLink: false);

        Assert.Contains(problems, p => p.Contains("api-version", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("$.options.$top", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("$.options.resultFormat", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("$.subscription is not declared", StringComparison.Ordinal));
    }

    [Fact]
    public void The_resource_graph_examples_responses_parse_into_rows()
    {
        var parsed = 0;
        foreach (var example in Examples("resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01/examples"))
        {
            var body = example.GetProperty("responses").GetProperty("200").GetProperty("body");
            if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) continue;
            var page = ResourceGraphPage.Read(body);
            Assert.Equal(data.GetArrayLength(), page.Rows.Count);
            Assert.Equal(body.GetProperty("count").GetInt64(), page.Count);
            Assert.Equal(body.GetProperty("totalRecords").GetInt64(), page.TotalRecords);
            Assert.Equal(body.TryGetProperty("$skipToken", out var token) ? token.GetString() : null, page.SkipToken);
            parsed++;
        }
        Assert.True(parsed >= 5, $"{parsed} examples with object-array data");
    }

    [Fact]
    public void The_subscription_and_management_group_examples_parse()
    {
        var subscriptions = Example("resources/resource-manager/Microsoft.Resources/stable/2022-12-01/examples/GetSubscriptions.json");
        var (items, _) = AzureResponseReader.ReadList(subscriptions);
        var read = items.Select(AzureResponseReader.ReadSubscription).ToList();
        Assert.NotEmpty(read);
        Assert.All(read, s => Assert.False(string.IsNullOrEmpty(s.State)));

        var descendants = Example("managementgroups/resource-manager/Microsoft.Management/stable/2020-10-01/examples/GetDescendants.json");
        var (entities, _) = AzureResponseReader.ReadList(descendants);
        var nodes = entities.Select(AzureResponseReader.ReadDescendant).ToList();
        Assert.Contains(nodes, n => n.IsSubscription);
        Assert.Contains(nodes, n => !n.IsSubscription);
        Assert.All(nodes, n => Assert.NotNull(n.ParentId));

        var (groups, _) = AzureResponseReader.ReadList(Example("managementgroups/resource-manager/Microsoft.Management/stable/2021-04-01/examples/ListManagementGroups.json"));
        Assert.NotEmpty(groups);
    }

    [Fact]
    public void An_error_in_azures_shape_gives_its_code_and_message()
    {
        var (code, message) = AzureResponseReader.ReadError(400, BinaryData.FromString("""{"error":{"code":"BadRequest","message":"Query is invalid."}}"""));
        Assert.Equal(("BadRequest", "Query is invalid."), (code, message));
        Assert.Equal("Http502", AzureResponseReader.ReadError(502, BinaryData.FromString("<html>bad gateway</html>")).Code);
    }

    private static JsonElement Example(string relativePath)
    {
        var path = Path.Combine(RepositoryRoot.Conformance("azure-arm"), "specification", relativePath);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("responses").GetProperty("200").GetProperty("body").Clone();
    }

    private static IEnumerable<JsonElement> Examples(string relativeFolder)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Conformance("azure-arm"), "specification", relativeFolder), "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            if (doc.RootElement.TryGetProperty("responses", out var r) && r.TryGetProperty("200", out var ok) && ok.TryGetProperty("body", out _))
            {
                yield return doc.RootElement.Clone();
            }
        }
    }
}
