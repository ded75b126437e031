using System.Collections.Concurrent;
using System.Text.Json;
using CloudInventory.Azure;
using CloudInventory.Azure.Internal;

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
