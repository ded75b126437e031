namespace CloudInventory.Query;

/// <summary>What <see cref="InventoryDiff.Compute"/> compares.</summary>
public sealed class DiffOptions
{
    /// <summary>The older snapshot.</summary>
    public required SnapshotReference From { get; init; }

    /// <summary>The newer snapshot.</summary>
    public required SnapshotReference To { get; init; }

    /// <summary>Only tables whose name matches this glob (<c>*</c>, <c>?</c>; the <c>aws_</c> prefix may be left out), or null for all.</summary>
    public string? TableGlob { get; init; }

    /// <summary>Only rows of this account, or null.</summary>
    public string? AccountId { get; init; }

    /// <summary>Only rows of this region, or null.</summary>
    public string? Region { get; init; }

    /// <summary>Counts only: skip listing the added, removed and changed rows.</summary>
    public bool SummaryOnly { get; init; }

    /// <summary>Columns never compared because they change with every collection.</summary>
    public IReadOnlySet<string> IgnoredColumns { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "report_time", "report_date" };
}
