namespace CloudInventory.Catalog;

/// <summary>Where an Azure table's rows come from: a Resource Graph table, narrowed to some resource types.</summary>
/// <param name="ResourceGraphTable">The Resource Graph table scanned: <c>resources</c> or <c>resourcecontainers</c> (or <c>managementGroups</c>: the management group API).</param>
/// <param name="ResourceType">
/// The resource type whose rows the table keeps, as Azure spells it (<c>Microsoft.Compute/virtualMachines</c>; matched
/// case-insensitively, since Resource Graph lower-cases types); null for a catch-all that keeps every row of the scan.
/// </param>
/// <param name="ApiVersion">The API version of the type model the columns come from, or null.</param>
public sealed record AzureTableSource(string ResourceGraphTable, string? ResourceType, string? ApiVersion)
{
    /// <summary>A one-line description, e.g. <c>Resource Graph resources where type =~ 'Microsoft.Compute/virtualMachines'</c>.</summary>
    public override string ToString() => ResourceGraphTable == Internal.AzureTableFactory.ManagementGroupsApi
        ? "management group API: the group (with its ancestors) and its descendants"
        : $"Resource Graph {ResourceGraphTable}" + (ResourceType is null ? "" : $" where type =~ '{ResourceType}'") + (ApiVersion is null ? "" : $" (model {ApiVersion})");
}
