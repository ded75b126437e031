namespace CloudInventory.Catalog;

/// <summary>Where an Azure table's rows come from: a Resource Graph table, narrowed to some resource types.</summary>
/// <param name="ResourceGraphTable">
/// The Resource Graph table scanned: <c>resources</c>, <c>resourcecontainers</c>, <c>authorizationresources</c> or
/// <c>policyresources</c> (or <c>managementGroups</c>: the management group API; <c>subscriptions</c>: <c>GET /subscriptions</c>).
/// </param>
/// <param name="ResourceType">
/// The resource type whose rows the table keeps, as Azure spells it (<c>Microsoft.Compute/virtualMachines</c>; matched
/// case-insensitively, since Resource Graph lower-cases types); null for a catch-all that keeps every row of the scan.
/// </param>
/// <param name="ApiVersion">The API version of the type model the columns come from, or null.</param>
public sealed record AzureTableSource(string ResourceGraphTable, string? ResourceType, string? ApiVersion)
{
    /// <summary>
    /// For a child type Resource Graph does not list as rows of its own but nests in its parent's <c>properties</c>
    /// (subnets in their virtual network's <c>properties.subnets</c>): the parent's resource type; null otherwise.
    /// </summary>
    public string? NestedIn { get; init; }

    /// <summary>The member of the parent's <c>properties</c> that holds the nested rows (<c>subnets</c>), with <see cref="NestedIn"/>.</summary>
    public string? NestedMember { get; init; }

    /// <summary>A one-line description, e.g. <c>Resource Graph resources where type =~ 'Microsoft.Compute/virtualMachines'</c>.</summary>
    public override string ToString() => ResourceGraphTable switch
    {
        Internal.AzureTableFactory.ManagementGroupsApi => "management group API: the group (with its ancestors) and its descendants",
        Internal.AzureTableFactory.SubscriptionsApi => "subscription API: every subscription in scope (GET /subscriptions), whatever its state",
        _ when NestedIn is not null => $"Resource Graph {ResourceGraphTable}: properties.{NestedMember} of each '{NestedIn}' row" + (ApiVersion is null ? "" : $" (model {ApiVersion})"),
        _ => $"Resource Graph {ResourceGraphTable}" + (ResourceType is null ? "" : $" where type =~ '{ResourceType}'") + (ApiVersion is null ? "" : $" (model {ApiVersion})"),
    };
}
