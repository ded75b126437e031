using CloudInventory.Catalog;

namespace CloudInventory.Collection;

/// <summary>One piece of a run: a table (with its child tables) in one account and region.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region the calls go to (us-east-1 for global tables).</param>
/// <param name="Table">The root table; its child tables ride along.</param>
public sealed record WorkUnit(string AccountId, string Region, Table Table)
{
    /// <summary>The region written into the rows: the region, or <c>global</c> for tables collected once per account.</summary>
    public string RegionLabel => Table.Scope == TableScope.Global ? "global" : Region;

    /// <summary>A stable key, the basis of sharding.</summary>
    public string Key => $"{AccountId}/{RegionLabel}/{Table.Name}";
}
