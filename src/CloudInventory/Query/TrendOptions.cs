namespace CloudInventory.Query;

/// <summary>What <see cref="InventoryTrend.Compute"/> counts.</summary>
public sealed class TrendOptions
{
    /// <summary>Only tables whose name matches this glob, or null for every table with data.</summary>
    public string? TableGlob { get; init; }

    /// <summary>
    /// The grouping: <c>table</c>, <c>service</c>, <c>account</c>, <c>region</c> or <c>tag:&lt;Key&gt;</c>
    /// (resources without that tag count as <c>(untagged)</c>; tables without tags are left out).
    /// </summary>
    public string By { get; init; } = "service";

    /// <summary>The first day counted, or null for all history.</summary>
    public DateOnly? Since { get; init; }
}
