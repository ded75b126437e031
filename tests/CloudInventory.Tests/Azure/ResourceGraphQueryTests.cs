using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Azure;
using CloudInventory.Simulator.Azure;

namespace CloudInventory.Tests.Azure;

/// <summary>The KQL the collector sends (one home: <see cref="ResourceGraphQuery"/>) and the simulator's answer to it and to anything else.</summary>
public sealed class ResourceGraphQueryTests
{
    [Theory]
    [InlineData("resources | order by id asc", "resources", null)]
    [InlineData("resourcecontainers | order by id asc", "resourcecontainers", null)]
    [InlineData("authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | order by id asc", "authorizationresources", "microsoft.authorization/roleassignments")]
    [InlineData("PolicyResources | where type =~ 'Microsoft.Authorization/policyAssignments' | order by id asc", "policyresources", "microsoft.authorization/policyassignments")]
    public void Reads_back_the_queries_the_collector_sends(string text, string table, string? type)
    {
        var query = ResourceGraphQuery.Parse(text);
        Assert.NotNull(query);
        Assert.Equal((table, type), (query.Table, query.Type));
        Assert.Equal(query.Text, ResourceGraphQuery.Parse(query.Text)!.Text);
    }

    [Theory]
    [InlineData("resources")]
    [InlineData("resources | where type =~ 'microsoft.compute/virtualmachines'")]
    [InlineData("advisorresources | order by id asc")]
    [InlineData("authorizationresources | where name =~ 'x' | order by id asc")]
    [InlineData("authorizationresources | where type =~ 'x' or 1==1 | order by id asc")]
    [InlineData("authorizationresources | where type == 'Microsoft.Authorization/roleAssignments' | order by id asc")]
    [InlineData("resources | project id | order by id asc")]
    public void Refuses_any_other_query(string text) => Assert.Null(ResourceGraphQuery.Parse(text));

    [Fact]
    public void A_type_query_is_made_only_of_a_known_table_and_a_resource_type()
    {
        Assert.Equal("authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | order by id asc",
            ResourceGraphQuery.OfType("authorizationresources", "Microsoft.Authorization/roleAssignments").Text);
        Assert.Throws<ArgumentException>(() => ResourceGraphQuery.OfType("securityresources", "Microsoft.Security/assessments"));
        Assert.Throws<ArgumentException>(() => ResourceGraphQuery.OfType("policyresources", "x' or 1==1"));
    }

    [Fact]
    public void The_simulator_answers_the_assignment_scans_and_refuses_other_kql_in_azures_error_shape()
    {
        var options = new SimulatedAzureOptions { Subscriptions = 2 };
        var world = new SimulatedAzureWorld(options);
        var responder = new SimulatedAzureResponder(options, world) { Date = AzureSimulatorSession.Day };
        var form = $"grant_type=client_credentials&client_id={world.ClientId}&client_secret={Uri.EscapeDataString(world.ClientSecret)}&scope=https%3A%2F%2Fsim%2F.default";
        var token = (string)JsonNode.Parse(responder.Respond("POST", $"/{world.TenantId}/oauth2/v2.0/token", new Dictionary<string, string>(), Encoding.UTF8.GetBytes(form)).Body)!["access_token"]!;
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").Select(s => s.Id).ToArray();
        JsonNode Post(string kql) => JsonNode.Parse(responder.Respond("POST", $"/providers/Microsoft.ResourceGraph/resources?api-version={AzureClient.ResourceGraphApiVersion}", headers,
            Encoding.UTF8.GetBytes(new JsonObject { ["subscriptions"] = new JsonArray(enabled.Select(e => (JsonNode?)e).ToArray()), ["query"] = kql }.ToJsonString())).Body)!;

        var roles = Post(ResourceGraphQuery.OfType("authorizationresources", "Microsoft.Authorization/roleAssignments").Text);
        var expected = enabled.SelectMany(id => world.AuthorizationResources(world.Subscription(id)!, AzureSimulatorSession.Day)).ToList();
        Assert.Equal(expected.Count, (int)roles["totalRecords"]!);
        // At the subscription and in resource groups.
        Assert.Contains(expected, r => (string)r["resourceGroup"]! == "" && ((string)r["id"]!).StartsWith("/subscriptions/", StringComparison.Ordinal));
        Assert.Contains(expected, r => (string)r["resourceGroup"]! != "" && ((string)r["id"]!).Contains("/resourceGroups/", StringComparison.Ordinal));
        Assert.All(roles["data"]!.AsArray(), r => Assert.Equal("microsoft.authorization/roleassignments", (string)r!["type"]!));
        Assert.NotEmpty(Post(ResourceGraphQuery.OfType("policyresources", "Microsoft.Authorization/policyAssignments").Text)["data"]!.AsArray());
        // A type that table does not hold: no rows.
        Assert.Empty(Post(ResourceGraphQuery.OfType("policyresources", "Microsoft.Authorization/roleAssignments").Text)["data"]!.AsArray());

        var refused = Post("securityresources | order by id asc");
        Assert.Equal("BadRequest", (string)refused["error"]!["code"]!);
        Assert.Contains(refused["error"]!["details"]!.AsArray(), d => (string)d!["code"]! == "InvalidQuery");
    }
}
