namespace CloudInventory.Collection.Internal;

/// <summary>
/// Stage 1 of a run, <em>plan</em>: takes the units a provider offers for its scope (accounts × regions × root
/// tables), keeps this worker's shard, and orders them fairly: the accounts' units interleaved, so no account
/// waits for another to finish.
/// </summary>
internal static class RunPlanner
{
    public static IReadOnlyList<WorkUnit> Plan(IEnumerable<WorkUnit> offered, RunShard? shard)
    {
        var units = shard is null ? offered : offered.Where(shard.Includes);
        return units.GroupBy(u => u.AccountId)
            .SelectMany(g => g.Select((u, i) => (Unit: u, Position: i)))
            .OrderBy(x => x.Position).ThenBy(x => x.Unit.AccountId, StringComparer.Ordinal)
            .Select(x => x.Unit).ToList();
    }
}
