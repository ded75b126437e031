using System.Text.Json.Nodes;
using CloudInventory.Simulator.World;

namespace CloudInventory.Simulator.Azure;

/// <summary>
/// The simulated tenant: a management group tree, subscriptions (one disabled), resource groups and their
/// resources (VMs with NICs and disks in VNets/subnets, public IPs, NSGs, storage accounts, key vaults, SQL
/// servers and databases, AKS clusters, App Service plans with web and function apps, and the other curated types
/// Resource Graph's resources table holds), drifting day by day.
/// A pure function of the seed and the date.
/// </summary>
public sealed partial class SimulatedAzureWorld
{
    private static readonly string[] s_locations = ["westeurope", "northeurope", "eastus"];
    private readonly SimulatedAzureOptions _options;

    internal SimulatedAzureWorld(SimulatedAzureOptions options)
    {
        _options = options;
        TenantId = Guid("tenant");
        ClientId = Guid("client");
        ClientSecret = "sim-" + StableHash.Hex($"{options.Seed}/secret", 32);
        ManagementGroups =
        [
            new(TenantId, "Tenant Root Group", null),
            new("platform", "Platform", TenantId),
            new("connectivity", "Connectivity", "platform"),
            new("landing-zones", "Landing zones", TenantId),
            new("corp", "Corp", "landing-zones"),
            new("corp-prod", "Corp production", "corp"),
            new("decommissioned", "Decommissioned", TenantId),
        ];
        string[] homes = ["corp-prod", "connectivity", "corp", "landing-zones"];
        var subscriptions = new List<SimulatedAzureSubscription>();
        for (var i = 0; i < options.Subscriptions; i++)
        {
            subscriptions.Add(new(Guid($"subscription/{i}"), i == 0 ? "prod-core" : $"workload-{i:00}", "Enabled", homes[i % homes.Length]));
        }
        subscriptions.Add(new(Guid("subscription/disabled"), "legacy-retired", "Disabled", "decommissioned"));
        Subscriptions = subscriptions;
    }

    /// <summary>The tenant id.</summary>
    public string TenantId { get; }

    /// <summary>The client (application) id of the service principal that may read the tenant.</summary>
    public string ClientId { get; }

    /// <summary>That service principal's secret.</summary>
    public string ClientSecret { get; }

    /// <summary>The management group tree, the tenant root group first.</summary>
    public IReadOnlyList<SimulatedManagementGroup> ManagementGroups { get; }

    /// <summary>Every subscription, the disabled one last.</summary>
    public IReadOnlyList<SimulatedAzureSubscription> Subscriptions { get; }

    /// <summary>The subscription with an id (case-insensitive), or null.</summary>
    public SimulatedAzureSubscription? Subscription(string id) =>
        Subscriptions.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The resource groups of a subscription on a day (a disabled subscription keeps its groups but is not readable).</summary>
    public IReadOnlyList<(string Name, string Location)> ResourceGroups(SimulatedAzureSubscription subscription, DateOnly date)
    {
        var key = $"{_options.Seed}/{subscription.Id}/rg";
        var count = Math.Max(1, (int)Math.Round(3 * _options.Scale));
        return Population.Alive(key, count, 0.002, date)
            .Select(m => ($"rg-{Word(key + m.Index)}-{m.Index:000}", s_locations[StableHash.Range(key + m.Index + "/loc", 0, s_locations.Length)]))
            .ToList();
    }

    /// <summary>The rows of Resource Graph's <c>resources</c> table for a subscription on a day, in no particular order.</summary>
    public IEnumerable<JsonObject> Resources(SimulatedAzureSubscription subscription, DateOnly date)
    {
        foreach (var (rg, location) in ResourceGroups(subscription, date))
        {
            var group = new Group(this, subscription, rg, location, date);
            foreach (var row in group.Build()) yield return row;
        }
    }

    /// <summary>The rows of Resource Graph's <c>resourcecontainers</c> table for a subscription on a day.</summary>
    public IEnumerable<JsonObject> ResourceContainers(SimulatedAzureSubscription subscription, DateOnly date)
    {
        var chain = new JsonArray();
        for (var mg = ManagementGroups.First(m => m.Name == subscription.ManagementGroup); mg is not null; mg = mg.Parent is null ? null : ManagementGroups.First(m => m.Name == mg.Parent))
        {
            chain.Add(new JsonObject { ["name"] = mg.Name, ["displayName"] = mg.DisplayName });
        }
        yield return new JsonObject
        {
            ["id"] = "/subscriptions/" + subscription.Id,
            ["name"] = subscription.DisplayName,
            ["type"] = "microsoft.resources/subscriptions",
            ["tenantId"] = TenantId,
            ["kind"] = "",
            ["location"] = "",
            ["resourceGroup"] = "",
            ["subscriptionId"] = subscription.Id,
            ["managedBy"] = "",
            ["sku"] = null,
            ["plan"] = null,
            ["properties"] = new JsonObject
            {
                ["state"] = subscription.State,
                ["managementGroupAncestorsChain"] = chain,
            },
            ["tags"] = new JsonObject { ["cost-center"] = "cc-" + StableHash.Range(subscription.Id, 100, 999) },
            ["identity"] = null,
            ["zones"] = null,
            ["extendedLocation"] = null,
        };
        foreach (var (rg, location) in ResourceGroups(subscription, date))
        {
            yield return new JsonObject
            {
                ["id"] = $"/subscriptions/{subscription.Id}/resourceGroups/{rg}",
                ["name"] = rg,
                ["type"] = "microsoft.resources/subscriptions/resourcegroups",
                ["tenantId"] = TenantId,
                ["kind"] = "",
                ["location"] = location,
                ["resourceGroup"] = rg,
                ["subscriptionId"] = subscription.Id,
                ["managedBy"] = "",
                ["sku"] = null,
                ["plan"] = null,
                ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
                ["tags"] = Tags(rg),
                ["identity"] = null,
                ["zones"] = null,
                ["extendedLocation"] = null,
            };
        }
    }

    private string Guid(string key)
    {
        var h = StableHash.Hex($"{_options.Seed}/{key}", 32);
        return $"{h[..8]}-{h[8..12]}-4{h[13..16]}-a{h[17..20]}-{h[20..32]}";
    }

    private static string Word(string key)
    {
        string[] words = ["alpha", "bravo", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper", "kestrel", "lumen"];
        return words[StableHash.Range(key, 0, words.Length)];
    }

    private static JsonObject Tags(string key)
    {
        string[] apps = ["billing", "search", "identity", "reporting"];
        string[] envs = ["prod", "staging", "dev"];
        return new JsonObject
        {
            ["app"] = apps[StableHash.Range(key + "/app", 0, apps.Length)],
            ["env"] = envs[StableHash.Range(key + "/env", 0, envs.Length)],
        };
    }
}
