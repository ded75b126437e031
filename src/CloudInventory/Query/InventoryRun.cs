namespace CloudInventory.Query;

/// <summary>
/// One collection run as the query layer sees it: the manifests of its shards merged. Only runs with
/// status <c>complete</c> or <c>partial</c> are visible to queries.
/// </summary>
/// <param name="RunId">The run id, <c>YYYYMMDDTHHMMSSZ-xxxxxx</c>; sorts by start time.</param>
/// <param name="ReportDate">The UTC day of the run (its Hive partition).</param>
/// <param name="ReportTime">The run's report time.</param>
/// <param name="Status">The worst status of its shard manifests: <c>complete</c>, <c>partial</c> or <c>failed</c>.</param>
/// <param name="Tables">
/// For every table the run saw (with a file, or with a <c>tables</c> entry of status ok or empty),
/// the store-relative paths of its files (empty when the run saw the table empty).
/// </param>
public sealed record InventoryRun(
    string RunId,
    DateOnly ReportDate,
    DateTimeOffset ReportTime,
    string Status,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Tables)
{
    /// <summary>True when queries may read the run (complete or partial).</summary>
    public bool IsVisible => Status is "complete" or "partial";

    /// <summary>True when the run saw the table (with rows or empty).</summary>
    public bool Saw(string table) => Tables.ContainsKey(table);
}
