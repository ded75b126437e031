namespace CloudInventory.Query;

/// <summary>A row present in both snapshots whose compared columns differ.</summary>
/// <param name="Key">The row's key: account_id, region and the primary key columns, as text.</param>
/// <param name="Columns">The changed columns, in column order.</param>
public sealed record RowChange(IReadOnlyDictionary<string, string?> Key, IReadOnlyList<ColumnChange> Columns);
