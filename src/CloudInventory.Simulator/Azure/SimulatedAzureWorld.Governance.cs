using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Simulator.World;

namespace CloudInventory.Simulator.Azure;

public sealed partial class SimulatedAzureWorld
{
    // Azure's built-in role and policy definitions the world assigns (their ids are the same in every tenant).
    private const string ReaderRole = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private const string OwnerRole = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    private const string ContributorRole = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    private const string AllowedLocationsPolicy = "e56962a6-4747-49cd-b67b-bf8b01975c4c";
    private const string RequireTagPolicy = "871b6d14-10aa-478d-b590-94f262ecfa99";

    /// <summary>
    /// The rows of Resource Graph's <c>authorizationresources</c> table for a subscription on a day: role assignments at
    /// the subscription (Reader for the collector's service principal, Owner for an admin group) and in resource groups
    /// (Contributor for workload identities, coming and going).
    /// </summary>
    public IEnumerable<JsonObject> AuthorizationResources(SimulatedAzureSubscription subscription, DateOnly date)
    {
        var scope = "/subscriptions/" + subscription.Id;
        yield return RoleAssignment(subscription, scope, null, ReaderRole, Guid("principal/collector"), "ServicePrincipal", new DateOnly(2025, 1, 6));
        yield return RoleAssignment(subscription, scope, null, OwnerRole, Guid("principal/platform-admins"), "Group", new DateOnly(2024, 11, 4));
        foreach (var (rg, _) in ResourceGroups(subscription, date))
        {
            var key = $"{_options.Seed}/{subscription.Id}/{rg}/ra";
            foreach (var m in Population.Alive(key, 2, 0.01, date))
            {
                yield return RoleAssignment(subscription, $"{scope}/resourceGroups/{rg}", rg, ContributorRole, Guid($"{key}/{m.Index}/principal"), "ServicePrincipal", m.Born);
            }
        }
    }

    /// <summary>
    /// The rows of Resource Graph's <c>policyresources</c> table for a subscription on a day: policy assignments at the
    /// subscription (allowed locations) and in resource groups (a required tag, its enforcement switched now and then).
    /// </summary>
    public IEnumerable<JsonObject> PolicyResources(SimulatedAzureSubscription subscription, DateOnly date)
    {
        var scope = "/subscriptions/" + subscription.Id;
        yield return PolicyAssignment(subscription, scope, null, "allowed-locations", "Allowed locations", AllowedLocationsPolicy, "Default",
            new JsonObject { ["listOfAllowedLocations"] = new JsonObject { ["value"] = new JsonArray(s_locations.Select(l => (JsonNode?)l).ToArray()) } });
        foreach (var (rg, _) in ResourceGroups(subscription, date))
        {
            var key = $"{_options.Seed}/{subscription.Id}/{rg}/pa";
            var enforcement = Population.Phase(key, new DateOnly(2025, 1, 1), date, 30, 2) == 0 ? "Default" : "DoNotEnforce";
            yield return PolicyAssignment(subscription, $"{scope}/resourceGroups/{rg}", rg, "require-env-tag", "Require the env tag", RequireTagPolicy, enforcement,
                new JsonObject { ["tagName"] = new JsonObject { ["value"] = "env" } });
        }
    }

    private JsonObject RoleAssignment(SimulatedAzureSubscription subscription, string scope, string? resourceGroup, string role, string principal, string principalType, DateOnly created)
    {
        var name = Guid($"{scope}/{role}/{principal}");
        var at = created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T09:30:00.0000000Z";
        return GraphRow($"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", name, "microsoft.authorization/roleassignments", subscription, resourceGroup, new JsonObject
        {
            ["roleDefinitionId"] = $"/subscriptions/{subscription.Id}/providers/Microsoft.Authorization/roleDefinitions/{role}",
            ["principalId"] = principal,
            ["principalType"] = principalType,
            ["scope"] = scope,
            ["createdOn"] = at,
            ["updatedOn"] = at,
            ["createdBy"] = Guid("principal/platform-admins"),
            ["updatedBy"] = Guid("principal/platform-admins"),
        });
    }

    private JsonObject PolicyAssignment(SimulatedAzureSubscription subscription, string scope, string? resourceGroup, string name, string displayName, string definition, string enforcement, JsonObject parameters) =>
        GraphRow($"{scope}/providers/Microsoft.Authorization/policyAssignments/{name}", name, "microsoft.authorization/policyassignments", subscription, resourceGroup, new JsonObject
        {
            ["displayName"] = displayName,
            ["policyDefinitionId"] = "/providers/Microsoft.Authorization/policyDefinitions/" + definition,
            ["scope"] = scope,
            ["notScopes"] = new JsonArray(),
            ["parameters"] = parameters,
            ["enforcementMode"] = enforcement,
            ["metadata"] = new JsonObject { ["assignedBy"] = "Platform team" },
        });

    // A row of one of Resource Graph's other tables: the same envelope as resources, without location, tags or SKU.
    private JsonObject GraphRow(string id, string name, string type, SimulatedAzureSubscription subscription, string? resourceGroup, JsonObject properties) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["type"] = type,
        ["tenantId"] = TenantId,
        ["kind"] = "",
        ["location"] = "",
        ["resourceGroup"] = resourceGroup ?? "",
        ["subscriptionId"] = subscription.Id,
        ["managedBy"] = "",
        ["sku"] = null,
        ["plan"] = null,
        ["properties"] = properties,
        ["tags"] = null,
        ["identity"] = null,
        ["zones"] = null,
        ["extendedLocation"] = null,
    };
}
