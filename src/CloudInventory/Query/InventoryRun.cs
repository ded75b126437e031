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
/// <param name="Units">What the run saw of each table per account and region (the manifests' <c>tables</c> lists, all shards).</param>
public sealed record InventoryRun(
    string RunId,
    DateOnly ReportDate,
    DateTimeOffset ReportTime,
    string Status,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Tables,
    IReadOnlyList<InventoryUnit> Units)
{
    /// <summary>True when every shard of the run completed: a unit the run does not mention was out of its scope, not failed.</summary>
    public bool IsComplete => Status == "complete";

    /// <summary>
    /// The units of a table this run did not observe although they may hold rows: the units it failed or skipped, and,
    /// when the run was not complete, the <paramref name="known"/> units it does not mention (they may have failed before
    /// they were planned, e.g. an account that could not be entered).
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="known">Units (account, region) known from other runs.</param>
    public IReadOnlyList<(string AccountId, string Region)> NotObserved(string table, IEnumerable<(string AccountId, string Region)> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var entries = Units.Where(u => u.Table == table).ToArray();
        var missing = entries.Where(u => !u.Observed).Select(u => (u.AccountId, u.Region));
        if (!IsComplete)
        {
            var mentioned = entries.Select(u => (u.AccountId, u.Region)).ToHashSet();
            missing = missing.Concat(known.Where(k => !mentioned.Contains(k)));
        }
        return missing.Distinct().Order().ToArray();
    }

    /// <summary>The units of a table the run observed.</summary>
    public IEnumerable<(string AccountId, string Region)> Observed(string table) =>
        Units.Where(u => u.Table == table && u.Observed).Select(u => (u.AccountId, u.Region));

    /// <summary>True when queries may read the run (complete or partial).</summary>
    public bool IsVisible => Status is "complete" or "partial";

    /// <summary>True when the run saw the table (with rows or empty).</summary>
    public bool Saw(string table) => Tables.ContainsKey(table);
}
