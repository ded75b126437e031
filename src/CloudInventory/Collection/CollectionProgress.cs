namespace CloudInventory.Collection;

/// <summary>A snapshot of a run's progress.</summary>
/// <param name="UnitsDone">Work units finished.</param>
/// <param name="UnitsTotal">Work units planned.</param>
/// <param name="UnitsByAccount">Per account: units done and planned.</param>
/// <param name="Rows">Rows collected.</param>
/// <param name="ApiCalls">API calls made (attempts).</param>
/// <param name="Throttles">Throttling answers.</param>
/// <param name="Errors">Failed calls recorded.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record CollectionProgress(
    int UnitsDone, int UnitsTotal, IReadOnlyDictionary<string, (int Done, int Total)> UnitsByAccount,
    long Rows, long ApiCalls, long Throttles, int Errors, TimeSpan Elapsed)
{
    /// <summary>The estimated time left, from the pace so far; null before any unit finished.</summary>
    public TimeSpan? Remaining => UnitsDone == 0 ? null : TimeSpan.FromTicks(Elapsed.Ticks / UnitsDone * (UnitsTotal - UnitsDone));
}
