namespace CloudInventory.Query;

/// <summary>The differences of one table between two snapshots, by key (account_id, region, primary key).</summary>
public sealed class TableDiff
{
    /// <summary>The table name.</summary>
    public required string Table { get; init; }

    /// <summary>The key columns, in order.</summary>
    public required IReadOnlyList<string> KeyColumns { get; init; }

    /// <summary>How many keys appear only in the newer snapshot.</summary>
    public long AddedCount { get; init; }

    /// <summary>How many keys appear only in the older snapshot.</summary>
    public long RemovedCount { get; init; }

    /// <summary>How many keys appear in both with different values.</summary>
    public long ChangedCount { get; init; }

    /// <summary>The keys of the added rows (empty for a summary).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>> Added { get; init; } = [];

    /// <summary>The keys of the removed rows (empty for a summary).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>> Removed { get; init; } = [];

    /// <summary>The changed rows with their changed columns (empty for a summary).</summary>
    public IReadOnlyList<RowChange> Changed { get; init; } = [];

    /// <summary>Columns only in the newer snapshot's files (schema evolution; not compared).</summary>
    public IReadOnlyList<string> ColumnsAdded { get; init; } = [];

    /// <summary>Columns only in the older snapshot's files (schema evolution; not compared).</summary>
    public IReadOnlyList<string> ColumnsRemoved { get; init; } = [];

    /// <summary>True when nothing differs.</summary>
    public bool IsEmpty => AddedCount == 0 && RemovedCount == 0 && ChangedCount == 0;
}
