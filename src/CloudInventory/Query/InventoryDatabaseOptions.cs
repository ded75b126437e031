namespace CloudInventory.Query;

/// <summary>Options for <see cref="InventoryDatabase.Open"/>.</summary>
public sealed class InventoryDatabaseOptions
{
    /// <summary>
    /// Tag scopes (ANDed): every view of a table that has a <c>tags</c> map column shows only the rows
    /// with these tag values. Tables without a <c>tags</c> column are not filtered.
    /// </summary>
    public IReadOnlyList<TagFilter> TagFilters { get; init; } = [];

    /// <summary>A file outside the store that <see cref="InventoryDatabase.ExportParquet"/> may write, or null.</summary>
    public string? ExportPath { get; init; }
}
