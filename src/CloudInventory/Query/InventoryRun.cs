using CloudInventory.Storage;

namespace CloudInventory.Query;

/// <summary>
/// One collection run as the query layer sees it: the manifests of its shards merged. Only runs with
/// status <c>complete</c> or <c>partial</c> are visible to queries.
/// </summary>
/// <param name="RunId">The run id, <c>YYYYMMDDTHHMMSSZ-xxxxxx</c>; sorts by start time.</param>
/// <param name="ReportDate">The UTC day of the run (its Hive partition).</param>
/// <param name="ReportTime">The run's report time.</param>
/// <param name="Status">The worst status of its shard manifests: <c>complete</c>, <c>partial</c> or <c>failed</c> (see <see cref="Outcome"/>).</param>
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
    /// <summary>The worst status of its shard manifests, typed.</summary>
    public RunStatus Outcome { get; init; } = ParseStatus(Status);

    /// <summary>The shard manifests the run was merged from.</summary>
    public IReadOnlyList<RunManifest> Manifests { get; init; } = [];

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
    public bool IsVisible => Outcome is RunStatus.Complete or RunStatus.Partial;

    /// <summary>True when the run saw the table (with rows or empty).</summary>
    public bool Saw(string table) => Tables.ContainsKey(table);

    /// <summary>Merges shard manifests (already checked, see <see cref="StoreManifests"/>) into runs, oldest first by report time.</summary>
    public static IReadOnlyList<InventoryRun> Merge(IEnumerable<RunManifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var runs = new List<InventoryRun>();
        foreach (var group in manifests.GroupBy(m => m.RunId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shards = group.OrderBy(m => m.Path, StringComparer.Ordinal).ToArray();
            var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var m in shards.Where(m => m.Status is RunStatus.Complete or RunStatus.Partial))
            {
                foreach (var f in m.Files) Files(f.Table).Add(f.Path);
                foreach (var t in m.Tables.Where(t => t.Status is TableRunStatus.Ok or TableRunStatus.Empty)) Files(t.Table);
            }
            var outcome = shards.All(m => m.Status == RunStatus.Failed) ? RunStatus.Failed
                : shards.All(m => m.Status == RunStatus.Complete) ? RunStatus.Complete
                : RunStatus.Partial;
            runs.Add(new InventoryRun(group.Key, shards[0].ReportDate, shards.Min(m => m.ReportTime), outcome.ToString().ToLowerInvariant(),
                tables.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal), UnitsOf(shards))
            {
                Outcome = outcome,
                Manifests = shards,
            });

            List<string> Files(string table)
            {
                if (!tables.TryGetValue(table, out var list)) tables[table] = list = [];
                return list;
            }
        }
        // Oldest first by what the run saw (report time), not by when it ran: backfills and replays
        // (the demo) take snapshots "as of" earlier days.
        return runs.OrderBy(r => r.ReportTime).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();
    }

    // What each shard saw of each (table, account, region); a unit is observed when its shard's run is visible and it was read (ok or empty).
    private static InventoryUnit[] UnitsOf(IEnumerable<RunManifest> shards) =>
        shards.SelectMany(m => m.Tables.Select(t => new InventoryUnit(t.Table, t.AccountId, t.Region, t.Rows, t.Status.ToString().ToLowerInvariant(),
            m.Status is RunStatus.Complete or RunStatus.Partial && t.Status is TableRunStatus.Ok or TableRunStatus.Empty))).ToArray();

    private static RunStatus ParseStatus(string status) => status switch
    {
        "complete" => RunStatus.Complete,
        "partial" => RunStatus.Partial,
        _ => RunStatus.Failed,
    };
}
